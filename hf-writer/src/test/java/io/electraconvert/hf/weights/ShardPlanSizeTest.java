package io.electraconvert.hf.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@code --max-shard-size} / the Maven plugin's {@code maxShardSize}: the units transformers and huggingface_hub take. */
class ShardPlanSizeTest {
    @Test
    void decimalUnitsAsHuggingfaceHubParsesThem() {
        assertEquals(200_000_000L, ShardPlan.parseSize("200MB"));
        assertEquals(5_000_000_000L, ShardPlan.parseSize("5GB"));
        assertEquals(1_500_000_000L, ShardPlan.parseSize("1.5GB"));
        assertEquals(20_000L, ShardPlan.parseSize("20kb"));
        assertEquals(2_000_000_000_000L, ShardPlan.parseSize("2TB"));
        assertEquals(4096L, ShardPlan.parseSize("4096"));
        assertEquals(4096L, ShardPlan.parseSize(" 4096 B "));
    }

    @Test
    void binaryUnitsAsTransformersConvertFileSizeToInt() {
        // transformers.utils.hub.convert_file_size_to_int("40KiB") == 40960, ("1MiB") == 1048576
        assertEquals(40_960L, ShardPlan.parseSize("40KiB"));
        assertEquals(1_048_576L, ShardPlan.parseSize("1MiB"));
        assertEquals(3L << 30, ShardPlan.parseSize("3gib"));
    }

    @Test
    void anythingElseIsRejectedNamingTheValue() {
        assertEquals("invalid size '40KIBI' (expected e.g. 200MB, 5GB, 40KiB or a byte count)",
                assertThrows(IllegalArgumentException.class, () -> ShardPlan.parseSize("40KIBI")).getMessage());
        assertEquals("invalid size '-5MB' (expected e.g. 200MB, 5GB, 40KiB or a byte count)",
                assertThrows(IllegalArgumentException.class, () -> ShardPlan.parseSize("-5MB")).getMessage());
        assertEquals("shard size must be positive, got '0KiB'",
                assertThrows(IllegalArgumentException.class, () -> ShardPlan.parseSize("0KiB")).getMessage());
    }
}
