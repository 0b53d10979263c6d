package io.electraconvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without {@code --add-modules jdk.incubator.vector} (e.g. plain {@code java -jar}) verify runs the scalar kernel. */
class ScalarFallbackTest {
    @TempDir
    Path tmp;

    @Test
    void verifyRunsWithoutTheVectorModule() throws Exception {
        Path out = ConvertedFolders.convert("small", "discriminator", tmp.resolve("disc"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                ElectraConvert.class.getName(), "verify", CliRun.fixture("small").toString(), out.toString(),
                "--model", "discriminator", "--hparams", CliRun.fixture("small").resolve("hparams.json").toString()))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "verify finished");
        assertEquals(ExitCodes.OK, p.exitValue(), output);
        assertTrue(output.contains("scalar matmul"), output);
    }
}
