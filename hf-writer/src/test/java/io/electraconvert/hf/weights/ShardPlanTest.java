package io.electraconvert.hf.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code --max-shard-size} means what {@code max_shard_size} means to transformers: the table in
 * {@code weights/shard-sizes.json} is checked here against {@link ShardPlan#parseSize} and, in the interop suite,
 * against transformers' own {@code convert_file_size_to_int}.
 */
class ShardPlanTest {
    @TestFactory
    Stream<DynamicTest> sizesAsTransformersReadsThem() throws Exception {
        JsonNode table;
        try (InputStream in = ShardPlanTest.class.getResourceAsStream("/weights/shard-sizes.json")) {
            table = new ObjectMapper().readTree(in);
        }
        assertTrue(table.get("sizes").size() > 20);
        return StreamSupport.stream(table.get("sizes").spliterator(), false).map(row -> DynamicTest.dynamicTest("'" + row.get("text").asText() + "'", () -> {
                    String text = row.get("text").asText();
                    if (row.path("refused").asBoolean()) {
                        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ShardPlan.parseSize(text));
                        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
                    } else {
                        assertEquals(row.get("bytes").asLong(), ShardPlan.parseSize(text));
                    }
                }));
    }

    @Test
    void refusalsSayWhatIsExpected() {
        assertEquals("invalid size '1.5GB' (expected an integer and a unit, as transformers reads them: 200MB, 5GB, 512MiB, "
                + "2GiB; or a number of bytes)", assertThrows(IllegalArgumentException.class, () -> ShardPlan.parseSize("1.5GB")).getMessage());
        assertEquals("shard size must be positive, got '0MB'",
                assertThrows(IllegalArgumentException.class, () -> ShardPlan.parseSize("0MB")).getMessage());
        assertEquals("shard size '9223372036854775807KB' is too large",
                assertThrows(IllegalArgumentException.class, () -> ShardPlan.parseSize("9223372036854775807KB")).getMessage());
    }
}
