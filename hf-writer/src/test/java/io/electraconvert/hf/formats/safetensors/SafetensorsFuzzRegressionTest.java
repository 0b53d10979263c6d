package io.electraconvert.hf.formats.safetensors;

import io.electraconvert.error.BadInputException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One crafted input per bug {@link SafetensorsFuzzTest} found, with its one-line message. */
class SafetensorsFuzzRegressionTest {
    @TempDir
    Path tmp;

    private Path withHeader(String json, int dataBytes) throws Exception {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path file = tmp.resolve("bad.safetensors");
        Files.write(file, b.array());
        return file;
    }

    @Test
    void tensorNameWithLineBreakGivesOneLineMessage() throws Exception {
        Path file = withHeader("{\"a\\nb\\r\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4);
        BadInputException e = assertThrows(BadInputException.class, () -> SafetensorsFile.open(file).close());
        assertEquals(file + ": safetensors tensor 'a\\u000ab\\u000d' spans 4 bytes but F32 [2] needs 8", e.getMessage());
    }

    @Test
    void endOffsetNearLongMaxIsReportedWithoutOverflow() throws Exception {
        // four U8 tensors of 2^61-1 bytes, the largest whose size in bits the reference can compute, end at 2^63-4
        long k = (1L << 61) - 1;
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < 4; i++) {
            json.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"U8\",\"shape\":[").append(k)
                    .append("],\"data_offsets\":[").append(i * k).append(',').append((i + 1) * k).append("]}");
        }
        Path file = withHeader(json.append('}').toString(), 0);
        BadInputException e = assertThrows(BadInputException.class, () -> SafetensorsFile.open(file).close());
        assertEquals(file + ": safetensors file is " + Files.size(file) + " bytes but its header describes more than "
                + Long.MAX_VALUE + " (truncated)", e.getMessage());
    }
}
