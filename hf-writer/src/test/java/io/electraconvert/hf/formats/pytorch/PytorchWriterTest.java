package io.electraconvert.hf.formats.pytorch;

import io.electraconvert.tensor.DType;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.electraconvert.hf.weights.OutputTensor;
import io.electraconvert.hf.weights.WeightsFormat;
import io.electraconvert.hf.formats.WeightsFormats;
import io.electraconvert.hf.weights.ProgressCounter;
import io.electraconvert.testsupport.Fixtures;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PytorchWriterTest {
    @TempDir
    Path tmp;

    /** Must match EXACT in src/test/resources/pytorch/make_torch_fixtures.py: value j of tensor i = (j - 3) * 0.25 + i. */
    static final List<OutputTensor> TENSORS = List.of(
            tensor(0, "embeddings.weight", 4, 3),
            tensor(1, "layer.0.bias", 5),
            tensor(2, "scalar"),
            tensor(3, "four.d", 2, 1, 2, 2));

    static OutputTensor tensor(int i, String name, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] values = new float[(int) n];
        for (int j = 0; j < values.length; j++) {
            values[j] = (j - 3) * 0.25f + i;
        }
        return new OutputTensor(name, shape, () -> {
            ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(values);
            return b;
        });
    }

    static float[] values(OutputTensor t) {
        float[] out = new float[(int) t.numElements()];
        t.payload().float32LittleEndian().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT16", "BFLOAT16"})
    void writesTheBytesTorchSaveWrites(DType dtype) throws Exception {
        Path mine = tmp.resolve("pytorch_model.bin");
        PytorchWriter.write(mine, TENSORS, dtype, ProgressCounter.none());
        Path torch = Fixtures.resource("/pytorch/exact_" + dtype.torchName() + "/pytorch_model.bin");
        byte[] a = Files.readAllBytes(mine);
        byte[] b = Files.readAllBytes(torch);
        assertEquals(b.length, a.length, "file length");
        // Only the serialization id (torch hashes record names with std::hash) and its CRC-32s may differ.
        List<int[]> allowed = serializationIdRegions(mine, a);
        assertEquals(serializationIdRegions(torch, b).stream().map(r -> r[0]).toList(), allowed.stream().map(r -> r[0]).toList());
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                int at = i;
                assertTrue(allowed.stream().anyMatch(r -> at >= r[0] && at < r[1]),
                        "byte " + i + " differs from torch.save's output: " + a[i] + " vs " + b[i]);
            }
        }
    }

    /** [start, end) of the serialization id payload, its data-descriptor CRC and its central-directory CRC. */
    private static List<int[]> serializationIdRegions(Path file, byte[] bytes) throws Exception {
        List<int[]> regions = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            TorchZipArchive zip = TorchZipArchive.read(file, ch);
            TorchZipArchive.Record r = zip.record(".data/serialization_id");
            int start = (int) r.dataOffset();
            regions.add(new int[] {start, start + 40});
            regions.add(new int[] {start + 44, start + 48});
            String id = new String(bytes, start, 40, StandardCharsets.US_ASCII);
            assertTrue(id.matches("[0-9]{40}"), id);
        }
        byte[] name = (zip(file) + "/.data/serialization_id").getBytes(StandardCharsets.UTF_8);
        int central = lastIndexOf(bytes, name) - 46;
        assertEquals(0x02014b50, ByteBuffer.wrap(bytes, central, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
        regions.add(new int[] {central + 16, central + 20});
        return regions;
    }

    private static String zip(Path file) {
        return PytorchWriter.archiveName(file.getFileName().toString());
    }

    private static int lastIndexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = haystack.length - needle.length; i >= 0; i--) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT16", "BFLOAT16"})
    void roundTripsExactBytes(DType dtype) throws Exception {
        Path file = tmp.resolve("pytorch_model-00001-of-00002.bin");
        List<String> progress = new ArrayList<>();
        PytorchWriter.write(file, TENSORS, dtype, new ProgressCounter(26 * dtype.byteSize(),
                (done, total, name) -> progress.add(name + ":" + done + "/" + total)));
        int b = dtype.byteSize();
        assertEquals(List.of("embeddings.weight:" + 12 * b + "/" + 26 * b, "layer.0.bias:" + 17 * b + "/" + 26 * b,
                "scalar:" + 18 * b + "/" + 26 * b, "four.d:" + 26 * b + "/" + 26 * b), progress);
        try (PytorchBinFile f = PytorchBinFile.open(file)) {
            assertEquals("pytorch_model-00001-of-00002", f.archiveName());
            assertEquals(List.of("embeddings.weight", "layer.0.bias", "scalar", "four.d"), List.copyOf(f.tensors().keySet()));
            for (OutputTensor t : TENSORS) {
                PytorchBinFile.Tensor info = f.tensor(t.name());
                assertEquals(dtype, info.dtype());
                assertArrayEquals(t.shape(), info.shape());
                ByteBuffer expected = dtype.encode(t.payload().float32LittleEndian());
                assertEquals(expected, f.readBytes(t.name()), t.name());
                assertArrayEquals(values(t), f.readFloats(t.name()), t.name()); // all values are exact in every dtype
            }
        }
    }

    @Test
    void payloadsAre64ByteAlignedAndPulledOneAtATime() throws Exception {
        Path file = tmp.resolve("pytorch_model.bin");
        int[] live = {0};
        int[] maxLive = {0};
        List<OutputTensor> tensors = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            OutputTensor base = tensor(i, "t" + i, 7, 3);
            tensors.add(new OutputTensor(base.name(), base.shape(), () -> {
                live[0]++;
                maxLive[0] = Math.max(maxLive[0], live[0]);
                return base.payload().float32LittleEndian();
            }));
        }
        PytorchWriter.write(file, tensors, DType.FLOAT32, new ProgressCounter(0, (done, total, name) -> live[0]--));
        assertEquals(1, maxLive[0]);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            TorchZipArchive zip = TorchZipArchive.read(file, ch);
            assertEquals(List.of("data.pkl", ".format_version", ".storage_alignment", "byteorder", "data/0", "data/1", "data/2",
                    "data/3", "data/4", "version", ".data/serialization_id"), List.copyOf(zip.records().keySet()));
            for (TorchZipArchive.Record r : zip.records().values()) {
                assertEquals(0, r.dataOffset() % 64, r.name());
            }
        }
    }

    @Test
    void isRegisteredAsThePytorchFormat() {
        List<WeightsFormat> formats = WeightsFormats.parse("safetensors,pytorch");
        assertEquals(List.of("safetensors", "pytorch"), formats.stream().map(WeightsFormat::name).toList());
        WeightsFormat pytorch = formats.get(1);
        assertEquals("pytorch_model.bin", pytorch.singleFileName());
        assertTrue(pytorch.shardable());
        assertEquals("pytorch_model-00002-of-00003.bin", WeightsFormat.shardFileName(pytorch.singleFileName(), 1, 3));
    }

    @Test
    void archiveNameIsTorchsBasename() {
        assertEquals("pytorch_model", PytorchWriter.archiveName("pytorch_model.bin"));
        assertEquals("a.b", PytorchWriter.archiveName("a.b.c"));
        assertEquals("noext", PytorchWriter.archiveName("noext"));
    }

    @Test
    void largeIntegersUseLong1() {
        PickleEmitter p = new PickleEmitter();
        p.integer(5_000_000_000L).integer(-1).integer(65535).integer(65536);
        byte[] b = p.toByteArray();
        // LONG1 5 bytes: 0x012a05f200 little-endian; BININT -1; BININT2 ffff; BININT 0x10000
        assertArrayEquals(new byte[] {(byte) 0x8a, 5, 0x00, (byte) 0xf2, 0x05, 0x2a, 0x01,
                'J', -1, -1, -1, -1, 'M', -1, -1, 'J', 0, 0, 1, 0}, b);
    }
}
