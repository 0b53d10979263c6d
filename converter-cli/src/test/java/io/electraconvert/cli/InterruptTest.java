package io.electraconvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.electraconvert.hf.convert.ConversionRequest;
import io.electraconvert.hf.convert.ElectraConverter;
import io.electraconvert.hf.electra.ElectraNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C for real: a child JVM sends itself SIGINT in the middle of writing; nothing may be left behind. */
class InterruptTest {
    @TempDir
    Path tmp;

    /** Child process: converts, and on the first progress callback interrupts itself as a terminal's Ctrl-C would. */
    public static void main(String[] args) throws Exception {
        ElectraConverter.convert(ConversionRequest.of(Path.of(args[0]), ElectraNetwork.DISCRIMINATOR, Path.of(args[1])),
                (done, total, tensor) -> {
                    try {
                        new ProcessBuilder("kill", "-INT", Long.toString(ProcessHandle.current().pid())).start().waitFor();
                        Thread.sleep(10_000); // the signal ends the JVM long before this
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        System.exit(0);
    }

    @Test
    void sigintMidConversionRemovesTheStagingFolder() throws Exception {
        Path out = tmp.resolve("model");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                InterruptTest.class.getName(), CliRun.fixture("small").toString(), out.toString())
                .redirectErrorStream(true).start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not stop");
        String output = new String(child.getInputStream().readAllBytes());
        assertEquals(130, child.exitValue(), "exit status of a JVM ended by SIGINT; output: " + output);
        assertFalse(Files.exists(out));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(), s.toList(), "no staging folder left");
        }
    }
}
