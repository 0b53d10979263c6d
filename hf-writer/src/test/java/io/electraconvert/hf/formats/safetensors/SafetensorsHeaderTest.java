package io.electraconvert.hf.formats.safetensors;

import io.electraconvert.tensor.DType;
import io.electraconvert.error.BadInputException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.electraconvert.hf.weights.OutputTensor;
import io.electraconvert.hf.weights.ProgressCounter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsHeaderTest {
    @TempDir
    Path tmp;

    private static OutputTensor tensor(String name, float... values) {
        return new OutputTensor(name, new long[] {values.length}, () -> {
            ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(values);
            return b;
        });
    }

    @Test
    void writesExactBytesAndReadsBack() throws Exception {
        Path file = tmp.resolve("model.safetensors");
        SafetensorsWriter.write(file, List.of(tensor("a", 1f, -2f), tensor("b", 0.5f)), DType.FLOAT32, ProgressCounter.none());
        byte[] bytes = Files.readAllBytes(file);
        String json = "{\"__metadata__\":{\"format\":\"pt\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8);
        assertEquals(json, new String(bytes, 8, (int) n, StandardCharsets.UTF_8).stripTrailing());
        assertEquals(8 + n + 12, bytes.length);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(List.of("a", "b"), List.copyOf(f.tensors().keySet()));
            assertEquals(-2f, f.readFloats("a")[1]);
        }
    }

    @Test
    void float16OutputRoundsToNearestEven() throws Exception {
        Path file = tmp.resolve("half.safetensors");
        // 1 + 2^-11 is exactly between 1 and the next half (1 + 2^-10): ties to even -> 1.0
        SafetensorsWriter.write(file, List.of(tensor("x", 1f + 0x1p-11f, 65520f, 1e-8f)), DType.FLOAT16, ProgressCounter.none());
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(DType.FLOAT16, f.entry("x").dtype());
            float[] v = f.readFloats("x");
            assertEquals(1f, v[0]);
            assertEquals(Float.POSITIVE_INFINITY, v[1]);
            assertEquals(0f, v[2]);
        }
    }

    private Path withHeader(String json, int dataBytes) throws Exception {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path file = tmp.resolve("bad.safetensors");
        Files.write(file, b.array());
        return file;
    }

    private void assertRejected(Path file, String message) {
        BadInputException e = assertThrows(BadInputException.class, () -> SafetensorsFile.open(file).close());
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void rejectsGapsOverlapsSizesAndTruncation() throws Exception {
        assertRejected(withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "do not tile");
        assertRejected(withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4), "needs 8");
        assertRejected(withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 2), "truncated");
        assertRejected(withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 6), "trailing bytes");
        assertRejected(withHeader("{\"a\":{\"dtype\":\"Q4\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "unknown dtype Q4");
        assertRejected(withHeader("[1,2]", 0), "safetensors header is an array, not a JSON object");
        assertRejected(withHeader("{\"a\":", 0), "not valid JSON");
        assertRejected(withHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,4]}}", 4), "overflows");
        Path tiny = tmp.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertRejected(tiny, "no header length");
        Path huge = tmp.resolve("huge.safetensors");
        Files.write(huge, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(-5).array());
        assertRejected(huge, "exceeds the format's limit");
    }
}
