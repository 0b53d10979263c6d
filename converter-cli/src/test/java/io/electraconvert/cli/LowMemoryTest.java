package io.electraconvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JVM whose direct memory cannot hold one read-ahead buffer: one line naming the cause and the cure, exit 1. */
class LowMemoryTest {
    @TempDir
    Path tmp;

    @Test
    void tooLittleDirectMemoryIsAOneLineErrorAndLeavesNothing() throws Exception {
        Path out = tmp.resolve("model");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-XX:MaxDirectMemorySize=1m", "-cp", System.getProperty("java.class.path"),
                ElectraConvert.class.getName(), "convert", CliRun.fixture("small").toString(), "--model", "discriminator",
                "--out", out.toString())
                .redirectErrorStream(true).start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not stop");
        String output = new String(child.getInputStream().readAllBytes()).strip();
        assertEquals(1, child.exitValue(), output);
        assertEquals(1, output.lines().count(), "one line, no stack trace: " + output);
        assertTrue(output.startsWith("electra-convert: " + out + ": cannot write the output: not enough direct memory"), output);
        assertTrue(output.endsWith("give the JVM more with -Xmx or -XX:MaxDirectMemorySize"), output);
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(), s.toList(), "no output and no staging folder left");
        }
    }
}
