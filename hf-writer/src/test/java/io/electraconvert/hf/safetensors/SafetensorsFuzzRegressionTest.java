package io.electraconvert.hf.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.electraconvert.hf.HfFormatException;
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
        HfFormatException e = assertThrows(HfFormatException.class, () -> SafetensorsFile.open(file).close());
        assertEquals(file + ": safetensors tensor 'a\\u000ab\\u000d' spans 4 bytes but F32 [2] needs 8", e.getMessage());
    }

    @Test
    void endOffsetNearLongMaxIsReportedWithoutOverflow() throws Exception {
        long max = Long.MAX_VALUE;
        String json = "{\"a\":{\"dtype\":\"U8\",\"shape\":[" + max + "],\"data_offsets\":[0," + max + "]}}";
        Path file = withHeader(json, 0);
        HfFormatException e = assertThrows(HfFormatException.class, () -> SafetensorsFile.open(file).close());
        assertEquals(file + ": safetensors file is " + Files.size(file) + " bytes but its header describes more than "
                + max + " (truncated)", e.getMessage());
    }
}
