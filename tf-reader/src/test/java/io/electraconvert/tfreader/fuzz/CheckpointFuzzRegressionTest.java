package io.electraconvert.tfreader.fuzz;

import io.electraconvert.error.UnsupportedInputException;
import io.electraconvert.error.BadInputException;
import io.electraconvert.error.ElectraConvertException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.electraconvert.tfreader.TfCheckpoint;
import io.electraconvert.tfreader.checksum.MaskedCrc32c;
import io.electraconvert.tfreader.proto.BundleEntryProto;
import io.electraconvert.tfreader.proto.BundleHeaderProto;
import io.electraconvert.tfreader.proto.TensorShapeProto;
import io.electraconvert.tfreader.proto.VersionDef;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One crafted input per bug {@link CheckpointFuzzTest} found (or was extended to cover), with its one-line message. */
class CheckpointFuzzRegressionTest {
    @TempDir
    Path tmp;

    private static byte[] header(int numShards) {
        return BundleHeaderProto.newBuilder().setNumShards(numShards).setVersion(VersionDef.newBuilder().setProducer(1))
                .build().toByteArray();
    }

    private static byte[] key(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Path write(byte[] index, byte[]... shards) throws Exception {
        Path prefix = tmp.resolve("ckpt");
        Files.write(tmp.resolve("ckpt.index"), index);
        for (int i = 0; i < shards.length; i++) {
            Files.write(tmp.resolve(String.format("ckpt.data-%05d-of-%05d", i, shards.length)), shards[i]);
        }
        return prefix;
    }

    private static void assertOneLine(ElectraConvertException e) {
        assertTrue(e.getMessage().startsWith(e.file() + ": "), e.getMessage());
        assertTrue(e.getMessage().chars().noneMatch(c -> c == '\n' || c == '\r'), e.getMessage());
    }

    @Test
    void tensorNameWithLineBreakGivesOneLineMessage() throws Exception {
        byte[] entry = BundleEntryProto.newBuilder().setDtypeValue(99).build().toByteArray();
        Path prefix = write(CheckpointFuzzTest.Table.write(List.of(key(""), key("a\nb\rc")), List.of(header(1), entry), 16, 1 << 20).bytes,
                new byte[0]);
        try (TfCheckpoint ckpt = TfCheckpoint.open(prefix)) {
            var e = assertThrows(UnsupportedInputException.class, () -> ckpt.readBytes(ckpt.tensors().get(0)));
            assertEquals(ckpt.indexFile() + ": tensor 'a\\u000ab\\u000dc' has TensorFlow dtype 99, which this reader does not support",
                    e.getMessage());
            assertOneLine(e);
        }
    }

    @Test
    void hugeShardCountInHeaderIsNotAllocated() throws Exception {
        Path prefix = write(CheckpointFuzzTest.Table.write(List.of(key("")), List.of(header(Integer.MAX_VALUE)), 16, 1 << 20).bytes);
        var e = assertThrows(BadInputException.class, () -> TfCheckpoint.open(prefix).close());
        assertEquals(tmp.resolve("ckpt.data-00000-of-2147483647") + ": missing data shard 1 of 2147483647", e.getMessage());
    }

    @Test
    void prefixCompressionKeyBombIsRejected() throws Exception {
        List<byte[]> keys = new ArrayList<>(List.of(key("")));
        List<byte[]> values = new ArrayList<>(List.of(header(1)));
        for (int k = 1; k <= 3000; k++) {
            keys.add(key("t" + "x".repeat(k))); // each key repeats the previous one: 5 bytes stored, k bytes decoded
            values.add(new byte[0]);
        }
        byte[] index = CheckpointFuzzTest.Table.write(keys, values, Integer.MAX_VALUE, 1 << 20).bytes;
        Path prefix = write(index, new byte[0]);
        long budget = 8L * index.length + (1 << 20);
        var e = assertThrows(BadInputException.class, () -> TfCheckpoint.open(prefix).close());
        assertTrue(e.getMessage().matches(java.util.regex.Pattern.quote(tmp.resolve("ckpt.index").toString())
                + ": corrupt data block at byte 0x[0-9a-f]+: keys expand to more than " + budget
                + " bytes \\(prefix compression bomb: each key repeats the previous one\\)"), e.getMessage());
        assertOneLine(e);
    }

    @Test
    void indexPointingTwiceAtOneBlockIsRejected() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<int[]> blocks = new ArrayList<>();
        int[] headerBlock = CheckpointFuzzTest.Table.writeBlock(out, CheckpointFuzzTest.Table.block(List.of(key("")), List.of(header(1)), 1), blocks);
        int[] empty = CheckpointFuzzTest.Table.writeBlock(out, CheckpointFuzzTest.Table.block(List.of(), List.of(), 1), blocks);
        int[] meta = CheckpointFuzzTest.Table.writeBlock(out, CheckpointFuzzTest.Table.block(List.of(), List.of(), 1), blocks);
        // an index whose entries all point at the same (empty) data block: each used to be decoded again
        int[] index = CheckpointFuzzTest.Table.writeBlock(out, CheckpointFuzzTest.Table.block(
                List.of(key(""), key("a"), key("b")), List.of(handle(headerBlock), handle(empty), handle(empty)), 1), blocks);
        ByteArrayOutputStream footer = new ByteArrayOutputStream();
        for (int[] h : new int[][] {meta, index}) {
            footer.writeBytes(handle(h));
        }
        byte[] f = Arrays.copyOf(footer.toByteArray(), 48);
        ByteBuffer.wrap(f, 40, 8).order(ByteOrder.LITTLE_ENDIAN).putInt(0x8b80fb57).putInt(0xdb477524);
        out.writeBytes(f);
        Path prefix = write(out.toByteArray(), new byte[0]);
        var e = assertThrows(BadInputException.class, () -> TfCheckpoint.open(prefix).close());
        assertEquals(String.format("%s: corrupt index block: data block at byte 0x%x overlaps the previous block (ends at 0x%x)",
                tmp.resolve("ckpt.index"), empty[0], empty[0] + empty[1] + 5), e.getMessage());
    }

    private static byte[] handle(int[] block) {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        CheckpointFuzzTest.putVarint(h, block[0]);
        CheckpointFuzzTest.putVarint(h, block[1]);
        return h.toByteArray();
    }

    /** A DT_STRING payload with correct checksums; returns {payload, masked entry crc as 4 bytes LE}. */
    private static byte[][] stringPayload(long[] lengths, byte[] chars) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        ByteBuffer encoded = ByteBuffer.allocate(8 * lengths.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long len : lengths) {
            CheckpointFuzzTest.putVarint(payload, len);
            if (len > 0xffffffffL) {
                encoded.putLong(len);
            } else {
                encoded.putInt((int) len);
            }
        }
        encoded.flip();
        byte[] masked = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(MaskedCrc32c.mask(MaskedCrc32c.crc(encoded.duplicate()))).array();
        payload.writeBytes(masked);
        payload.writeBytes(chars);
        CRC32C crc = new CRC32C();
        crc.update(encoded);
        crc.update(masked);
        crc.update(chars);
        return new byte[][] {payload.toByteArray(), ByteBuffer.allocate(4).putInt(MaskedCrc32c.mask((int) crc.getValue())).array()};
    }

    private Path stringCheckpoint(long numElements, byte[][] payloadAndCrc) throws Exception {
        byte[] entry = BundleEntryProto.newBuilder().setDtypeValue(7)
                .setShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(numElements)))
                .setSize(payloadAndCrc[0].length).setCrc32C(ByteBuffer.wrap(payloadAndCrc[1]).getInt()).build().toByteArray();
        return write(CheckpointFuzzTest.Table.write(List.of(key(""), key("s")), List.of(header(1), entry), 16, 1 << 20).bytes,
                payloadAndCrc[0]);
    }

    @Test
    void hugeStringLengthIsReportedWithItsRealValue() throws Exception {
        Path prefix = stringCheckpoint(1, stringPayload(new long[] {1L << 40}, new byte[0]));
        try (TfCheckpoint ckpt = TfCheckpoint.open(prefix)) {
            var e = assertThrows(BadInputException.class, () -> ckpt.readStrings(ckpt.info("s")));
            assertEquals(ckpt.dataFiles().get(0) + ": corrupt string tensor 's' at byte 0x6: string 0 of 1099511627776 bytes"
                    + " is longer than the whole tensor (10 bytes)", e.getMessage());
        }
    }

    @Test
    void manyEmptyStringsAllocateAboutOneReferenceEach() throws Exception {
        int count = 300_000;
        byte[][] payload = stringPayload(new long[count], new byte[0]);
        Path prefix = stringCheckpoint(count, payload);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (TfCheckpoint ckpt = TfCheckpoint.open(prefix)) {
            ckpt.readStrings(ckpt.info("s")); // warm up
            long before = threads.getCurrentThreadAllocatedBytes();
            byte[][] strings = ckpt.readStrings(ckpt.info("s"));
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertEquals(count, strings.length);
            // stored bytes + one reference per element (was a long[] of lengths plus ~280 bytes of garbage per element)
            assertTrue(allocated < payload[0].length + 8L * count + (1 << 20), "allocated " + allocated);
        }
    }

    @Test
    void floatShapeClaimingMoreThanItsBytesIsNotAllocated() throws Exception {
        // a float tensor of shape [2^30] whose entry says 8 bytes: readFloats once allocated the shape's 4 GiB first
        byte[] entry = BundleEntryProto.newBuilder().setDtypeValue(1)
                .setShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(1L << 30)))
                .setSize(8).build().toByteArray();
        Path prefix = write(CheckpointFuzzTest.Table.write(List.of(key(""), key("w")), List.of(header(1), entry), 16, 1 << 20).bytes,
                new byte[8]);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (TfCheckpoint ckpt = TfCheckpoint.open(prefix)) {
            long before = threads.getCurrentThreadAllocatedBytes();
            var e = assertThrows(BadInputException.class, () -> ckpt.readFloats("w"));
            assertTrue(threads.getCurrentThreadAllocatedBytes() - before < 1 << 20, "nothing the size of the shape allocated");
            assertEquals(ckpt.indexFile() + ": tensor 'w' (float32[1073741824]) should hold 4294967296 bytes but its index"
                    + " entry says 8", e.getMessage());
        }
    }
}
