package io.electraconvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: a 96 KiB tmpfs mounted by the test, too small for the small fixture's discriminator
 * (about 170 KB of weights). Skipped, with a notice, only where mounting is not permitted.
 */
class DiskFullTest {
    @TempDir
    Path tmp;
    private Path mount;
    private boolean mounted;

    @BeforeEach
    void mountTinyFileSystem() throws Exception {
        mount = tmp.resolve("tiny");
        Files.createDirectories(mount);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        mounted = p.waitFor() == 0;
        if (!mounted) {
            System.err.println("NOTICE: DiskFullTest skipped: cannot mount a tmpfs here (" + output + ")");
        }
        Assumptions.assumeTrue(mounted, "cannot mount a tmpfs here: " + output);
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            new ProcessBuilder("umount", mount.toString()).inheritIO().start().waitFor();
        }
    }

    @Test
    void fullDiskFailsCleanly() throws Exception {
        Path out = mount.resolve("model");
        CliRun run = CliRun.of("convert", CliRun.fixture("small").toString(), "--model", "discriminator",
                "--out", out.toString(), "--quiet");
        assertEquals(ExitCodes.BAD_INPUT, run.exitCode(), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().contains(out + ": cannot write the output: No space left on device"), run.err());
        assertEquals(List.of(), ConvertedFolders.fileNames(mount), "nothing left behind on the full disk");
    }

    @Test
    void fullDiskLeavesAnExistingOutputUntouched() throws Exception {
        Path out = mount.resolve("model");
        Files.createDirectories(out);
        Files.writeString(out.resolve("config.json"), "{\"previous\": true}");
        CliRun run = CliRun.of("convert", CliRun.fixture("small").toString(), "--model", "discriminator",
                "--out", out.toString(), "--force", "--quiet");
        assertEquals(ExitCodes.BAD_INPUT, run.exitCode(), run.err());
        assertEquals(List.of("model"), ConvertedFolders.fileNames(mount));
        assertEquals(List.of("config.json"), ConvertedFolders.fileNames(out));
        assertEquals("{\"previous\": true}", Files.readString(out.resolve("config.json")));
    }
}
