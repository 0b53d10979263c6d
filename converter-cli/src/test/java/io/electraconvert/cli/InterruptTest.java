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

/**
 * Signals for real: a child JVM sends itself SIGINT (Ctrl-C) or SIGKILL (kill -9) in the middle of writing. After
 * SIGINT nothing may be left behind; after SIGKILL the next conversion into the same output removes what was left.
 */
class InterruptTest {
    @TempDir
    Path tmp;

    /** Child process: converts, and on the first progress callback sends itself signal {@code args[2]}. */
    public static void main(String[] args) throws Exception {
        ElectraConverter.convert(ConversionRequest.of(Path.of(args[0]), ElectraNetwork.DISCRIMINATOR, Path.of(args[1])),
                (done, total, tensor) -> {
                    try {
                        new ProcessBuilder("kill", "-" + args[2], Long.toString(ProcessHandle.current().pid())).start().waitFor();
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
                InterruptTest.class.getName(), CliRun.fixture("small").toString(), out.toString(), "INT")
                .redirectErrorStream(true).start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not stop");
        String output = new String(child.getInputStream().readAllBytes());
        assertEquals(130, child.exitValue(), "exit status of a JVM ended by SIGINT; output: " + output);
        assertFalse(Files.exists(out));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(), s.toList(), "no staging folder left");
        }
    }

    @Test
    void afterKillNineTheNextConversionIntoTheSameOutputRemovesTheLeftovers() throws Exception {
        Path out = tmp.resolve("model");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                InterruptTest.class.getName(), CliRun.fixture("small").toString(), out.toString(), "KILL")
                .redirectErrorStream(true).start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not stop");
        assertEquals(137, child.exitValue(), new String(child.getInputStream().readAllBytes()));
        List<Path> left;
        try (Stream<Path> s = Files.list(tmp)) {
            left = s.toList();
        }
        assertEquals(1, left.size(), "SIGKILL runs no exit hook: the working folder stays");
        assertTrue(left.get(0).getFileName().toString().startsWith(".electra-convert-staging-"), left.toString());

        CliRun rerun = CliRun.of("convert", CliRun.fixture("small").toString(), "--model", "discriminator", "--out",
                out.toString(), "--quiet");
        assertEquals(ExitCodes.OK, rerun.exitCode(), rerun.err());
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(out), s.toList(), "the killed run's working folder is gone");
        }
    }
}
