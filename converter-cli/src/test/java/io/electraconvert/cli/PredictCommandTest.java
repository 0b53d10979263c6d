package io.electraconvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictCommandTest {
    @TempDir
    Path tmp;

    @Test
    void generatorListsFiveCandidatesPerMask() {
        Path out = ConvertedFolders.convert("small", "generator", tmp.resolve("gen"));
        CliRun run = CliRun.of("predict", out.toString(), "--text", "the quick brown [MASK] jumps over the [MASK] dog");
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.get(0).startsWith("tokens: [CLS] the quick brown [MASK] jumps"), run.out());
        assertEquals(2, lines.stream().filter(l -> l.startsWith("[MASK] ")).count(), run.out());
        assertEquals(10, lines.stream().filter(l -> l.matches("\\s+[1-5]\\. \\S+\\s+[01]\\.\\d{4}")).count(), run.out());
        assertTrue(run.out().contains("[MASK] 1 at position 4:"), run.out());
    }

    @Test
    void discriminatorGivesEachTokenAReplacedProbability() {
        Path out = ConvertedFolders.convert("small", "discriminator", tmp.resolve("disc"));
        CliRun run = CliRun.of("predict", out.toString(), "--text", "the quick brown dog jumps");
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
        // [CLS] + 5 words + [SEP], each with a probability
        assertEquals(7, run.out().lines().filter(l -> l.matches("\\S+\\s+[01]\\.\\d{4}")).count(), run.out());
    }

    @Test
    void missingVocabularyIsAClearError() throws Exception {
        Path out = ConvertedFolders.convert("small", "generator", tmp.resolve("gen"));
        Files.delete(out.resolve("vocab.txt"));
        CliRun run = CliRun.of("predict", out.toString(), "--text", "the [MASK]");
        assertEquals(ExitCodes.BAD_INPUT, run.exitCode(), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().contains("vocab.txt: not found"), run.err());
    }

    @Test
    void generatorWithoutMaskIsAClearError() {
        Path out = ConvertedFolders.convert("small", "generator", tmp.resolve("gen"));
        CliRun run = CliRun.of("predict", out.toString(), "--text", "the quick brown fox");
        assertEquals(ExitCodes.BAD_INPUT, run.exitCode(), run.err());
        assertTrue(run.err().contains("no [MASK]"), run.err());
    }
}
