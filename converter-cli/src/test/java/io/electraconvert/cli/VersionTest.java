package io.electraconvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --version} is the version Maven built, wherever the classes come from (jar, class folder, test). */
class VersionTest {
    @Test
    void versionIsTheBuildsWithTheRuntime() {
        CliRun run = CliRun.of("--version");
        assertEquals(ExitCodes.OK, run.exitCode());
        List<String> lines = run.out().lines().toList();
        assertEquals("electra-convert " + System.getProperty("electra.project.version"), lines.get(0));
        assertTrue(lines.get(1).startsWith("Java " + System.getProperty("java.version") + " "), run.out());
    }
}
