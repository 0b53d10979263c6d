package io.electraconvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/** verify passes on every weight format, dtype and sharding a conversion can produce. */
class VerifyEveryFormatTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} {1} {2} shards={3}")
    @CsvSource({
        "discriminator, safetensors, float32, ",
        "generator,     safetensors, float32, 20KB",
        "discriminator, pytorch,     float32, ",
        "generator,     pytorch,     float32, 20KB",
        "discriminator, tf,          float32, ",
        "generator,     tf,          float32, ",
        "generator,     pytorch,     float16, ",
        "discriminator, safetensors, bfloat16, ",
        "generator,     tf,          float16, ",
    })
    void verifyPasses(String network, String format, String dtype, String shardSize) {
        Path out = tmp.resolve("model");
        if (shardSize == null) {
            ConvertedFolders.convert("small", network, out, "--format", format, "--dtype", dtype);
        } else {
            ConvertedFolders.convert("small", network, out, "--format", format, "--dtype", dtype, "--max-shard-size", shardSize);
        }
        CliRun run = ConvertedFolders.verify("small", network, out, "--format", format);
        assertEquals(ExitCodes.OK, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("PASS"), run.out());
        if (shardSize != null) {
            CliRun inspect = CliRun.of("inspect", out.toString());
            assertEquals(ExitCodes.OK, inspect.exitCode(), inspect.err());
            assertTrue(inspect.out().contains("(sharded, "), inspect.out());
        }
    }
}
