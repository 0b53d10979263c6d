package io.electraconvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A folder holding all three formats with one of them truncated, given to inspect or verify (which check every
 * format present): one line naming the file, exit 1.
 */
class TruncatedWeightsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} cut to {1}% via {2}")
    @CsvSource({
        "safetensors, model.safetensors, 50, inspect",
        "safetensors, model.safetensors, 50, verify",
        "pytorch,     pytorch_model.bin, 50, inspect",
        "pytorch,     pytorch_model.bin, 99, verify",
        "tf,          tf_model.h5,       50, inspect",
        "tf,          tf_model.h5,       90, verify",
    })
    void truncatedFileIsOneLineExitOne(String format, String file, int percent, String command) throws Exception {
        Path out = ConvertedFolders.convert("small", "discriminator", tmp.resolve("model"), "--format", "safetensors,pytorch,tf");
        Path weights = out.resolve(file);
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, Arrays.copyOf(bytes, (int) ((long) bytes.length * percent / 100)));
        CliRun run = command.equals("inspect") ? CliRun.of("inspect", out.toString())
                : ConvertedFolders.verify("small", "discriminator", out);
        assertEquals(ExitCodes.BAD_INPUT, run.exitCode(), run.out() + run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("electra-convert: " + (command.equals("inspect") ? out + ": invalid model folder: " : "")
                + weights + ": "), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
    }
}
