package io.electraconvert.hf.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SequentialFileWriterTest {
    @TempDir
    Path tmp;

    /** A chunk of {@code length} random bytes: heap, direct, or direct and page-aligned (the zero-copy path). */
    private static ByteBuffer chunk(Random random, int length, int kind) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return switch (kind) {
            case 0 -> ByteBuffer.wrap(bytes);
            case 1 -> ByteBuffer.allocateDirect(length + 1).position(1).slice().put(bytes).flip(); // misaligned
            default -> ByteBuffer.allocateDirect((length + 4095) / 4096 * 4096 + 4096).alignedSlice(4096).put(bytes).flip();
        };
    }

    /**
     * Whether the temp folder's file system takes {@code O_DIRECT} writes (ramfs, tmpfs before Linux 6.6, ZFS and
     * macOS do not), probed here with one aligned block, independently of the writer's own probe.
     */
    private static boolean directIoWorks(Path dir) throws IOException {
        Path probe = dir.resolve("o-direct-probe");
        try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                ExtendedOpenOption.DIRECT)) {
            int block = Math.toIntExact(Files.getFileStore(probe).getBlockSize());
            channel.write(ByteBuffer.allocateDirect(2 * block).alignedSlice(block).limit(block), 0);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /** The tests of the direct-I/O path skip, saying why, where the file system cannot take it. */
    private void assumeDirectIo() throws IOException {
        assumeTrue(directIoWorks(tmp), "the temp folder's file system (" + Files.getFileStore(tmp).type()
                + ") refuses O_DIRECT: the direct-I/O path cannot run here");
    }

    /**
     * Whatever mix of chunk sizes, alignments and kinds is written, the file holds exactly those bytes in order and
     * is exactly as long: header-sized, tiny, block-sized, staging-sized and larger, aligned and not.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void theFileHoldsExactlyTheBytesWrittenInOrder(boolean tryDirect) throws Exception {
        if (tryDirect) {
            assumeDirectIo();
        }
        Random random = new Random(11);
        int[] sizes = {4096, 3, 1 << 20, 4096, 4 << 20, 16 << 20, 1, (4 << 20) + 4096, 5000, 2 << 20, 4095, 12, 8 << 20, 777};
        for (int round = 0; round < 3; round++) {
            Path file = tmp.resolve("out-" + tryDirect + "-" + round + ".bin");
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            try (SequentialFileWriter out = SequentialFileWriter.create(file, tryDirect)) {
                assertEquals(tryDirect, out.direct(), "direct I/O where the file system allows it");
                for (int i = 0; i < sizes.length; i++) {
                    ByteBuffer c = chunk(random, sizes[(i + round) % sizes.length], (i + round) % 3);
                    byte[] copy = new byte[c.remaining()];
                    c.duplicate().get(copy);
                    expected.write(copy);
                    assertEquals(copy.length, out.write(c));
                    assertFalse(c.hasRemaining(), "consumed");
                }
                out.finish();
            }
            assertEquals(expected.size(), Files.size(file));
            assertArrayEquals(expected.toByteArray(), Files.readAllBytes(file), "round " + round);
        }
    }

    /** Page-aligned direct buffers of 1 MiB or more, at a block-aligned file position, reach the disk uncopied. */
    @Test
    void alignedLargeBuffersAreWrittenWithoutACopy() throws Exception {
        assumeDirectIo();
        Random random = new Random(3);
        Path file = tmp.resolve("uncopied");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        int[][] writes = {{4096, 0}, {4 << 20, 2}, {1 << 20, 2}, {(1 << 20) - 4096, 2}, {4101, 0}, {2 << 20, 2}, {3, 1}};
        try (SequentialFileWriter out = SequentialFileWriter.create(file)) {
            for (int[] w : writes) {
                ByteBuffer c = chunk(random, w[0], w[1]);
                byte[] copy = new byte[c.remaining()];
                c.duplicate().get(copy);
                expected.write(copy);
                out.write(c);
            }
            out.finish();
            // 4 MiB and 1 MiB follow whole blocks; 1 MiB - 4 KiB is under the threshold; 2 MiB follows 4101 bytes
            assertEquals((4 << 20) + (1 << 20), out.uncopiedBytes());
        }
        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(file));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4095, 4096, 4097, 4 << 20})
    void smallAndBoundaryLengths(int length) throws Exception {
        Path file = tmp.resolve("len-" + length);
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        try (SequentialFileWriter out = SequentialFileWriter.create(file)) {
            out.write(ByteBuffer.wrap(bytes));
            out.finish();
        }
        assertArrayEquals(bytes, Files.readAllBytes(file));
    }

    /** Child JVM for the test below: writes {@code args[1]} bytes of 7s to {@code args[0]}. */
    public static void main(String[] args) throws Exception {
        byte[] bytes = new byte[Integer.parseInt(args[1])];
        Arrays.fill(bytes, (byte) 7);
        try (SequentialFileWriter out = SequentialFileWriter.create(Path.of(args[0]))) {
            out.write(ByteBuffer.wrap(bytes));
            out.finish();
            System.out.println(out.direct() ? "direct" : "buffered");
        }
    }

    /**
     * Direct memory too small for a staging buffer: the writer falls back to buffered writes, and a small file must
     * not keep the zero block direct I/O is probed with (it did, found in review).
     */
    @Test
    void theBufferedFallbackLeavesNoProbeBlock() throws Exception {
        Path file = tmp.resolve("small-fallback");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-XX:MaxDirectMemorySize=2m", "-cp", System.getProperty("java.class.path"),
                SequentialFileWriterTest.class.getName(), file.toString(), "100").redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes()).strip();
        assertEquals(0, child.waitFor(), output);
        assertEquals("buffered", output);
        byte[] expected = new byte[100];
        Arrays.fill(expected, (byte) 7);
        assertArrayEquals(expected, Files.readAllBytes(file));
    }

    @Test
    void refusesAnExistingFileAndWritesAfterClose() throws Exception {
        Path file = tmp.resolve("exists");
        Files.writeString(file, "keep");
        assertThrows(FileAlreadyExistsException.class, () -> SequentialFileWriter.create(file));
        assertEquals("keep", Files.readString(file));
        Path other = tmp.resolve("closed");
        SequentialFileWriter out = SequentialFileWriter.create(other);
        out.close();
        assertFalse(out.isOpen());
        assertThrows(ClosedChannelException.class, () -> out.write(ByteBuffer.allocate(1)));
        out.close(); // idempotent
        assertTrue(Files.exists(other));
    }
}
