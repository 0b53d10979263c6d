package io.electraconvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.electraconvert.testsupport.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** convert's options as a user types them: short names, transformers' size units, the vocabulary found beside. */
class ConvertOptionsTest {
    @TempDir
    Path tmp;

    @Test
    void shortOptions() throws Exception {
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("config.json"), "{}"); // a model file: replaced only with -f
        CliRun run = CliRun.of("convert", CliRun.fixture("small").toString(), "-m", "generator", "-o", out.toString(), "-q", "-f");
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
        assertEquals("", run.err(), "-q prints nothing");
        assertTrue(Files.readString(out.resolve("config.json")).contains("ElectraForMaskedLM"));
    }

    @Test
    void binaryUnitsShardAsTransformersReadsThem() throws Exception {
        Path out = tmp.resolve("out");
        CliRun run = CliRun.of("convert", CliRun.fixture("small").toString(), "-m", "discriminator", "-o", out.toString(), "-q",
                "--max-shard-size", "40KiB");
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
        // 116,868 bytes of float32 tensors in shards of at most 40,960 bytes of tensor data
        assertEquals(List.of("config.json", "model-00001-of-00004.safetensors", "model-00002-of-00004.safetensors",
                "model-00003-of-00004.safetensors", "model-00004-of-00004.safetensors", "model.safetensors.index.json"), ConvertedFolders.fileNames(out));
    }

    @Test
    void aShardSizeForFormatsThatDoNotShardIsAUsageError() {
        Path out = tmp.resolve("out");
        CliRun run = CliRun.of("convert", CliRun.fixture("small").toString(), "-m", "discriminator", "-o", out.toString(),
                "--format", "tf", "--max-shard-size", "1MB");
        assertEquals(ExitCodes.USAGE, run.exitCode());
        assertEquals("electra-convert: --max-shard-size splits only safetensors, pytorch weights, and --format tf writes none",
                run.err().lines().findFirst().orElseThrow());
        assertFalse(Files.exists(out));
        CliRun fraction = CliRun.of("convert", CliRun.fixture("small").toString(), "-m", "discriminator", "-o", out.toString(),
                "--max-shard-size", "1.5GB");
        assertEquals(ExitCodes.USAGE, fraction.exitCode());
        assertTrue(fraction.err().startsWith("electra-convert: invalid size '1.5GB' (expected an integer and a unit"), fraction.err());
    }

    @Test
    void theSummaryCountsBytesPerFormatAndNamesEachFile() throws Exception {
        Path out = tmp.resolve("out");
        CliRun run = CliRun.of("convert", CliRun.fixture("small").toString(), "-m", "discriminator", "-o", out.toString(),
                "--format", "safetensors,pytorch", "--vocab", Fixtures.vocab().toString());
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
        assertTrue(run.err().contains(": 43 tensors, 116,868 bytes of float32 tensor data per format; "), run.err());
        String files = run.err().lines().filter(l -> l.startsWith("files: ")).findFirst().orElseThrow();
        assertTrue(files.contains("model.safetensors (" + String.format(java.util.Locale.ROOT, "%,d",
                Files.size(out.resolve("model.safetensors"))) + " bytes)"), files);
        assertTrue(files.contains("pytorch_model.bin ("), files);
    }

    @Test
    void theVocabularyBesideTheCheckpointIsUsed() throws Exception {
        Path checkpoint = CliRun.copyFixture("small", tmp);
        Files.copy(Fixtures.vocab(), checkpoint.resolve("vocab.txt"));
        for (Path given : List.of(checkpoint, checkpoint.resolve("model.ckpt-1000"))) {
            Path out = tmp.resolve("out-" + given.getFileName());
            CliRun run = CliRun.of("convert", given.toString(), "-m", "generator", "-o", out.toString());
            assertEquals(ExitCodes.OK, run.exitCode(), run.err());
            assertTrue(run.err().contains("vocab: " + checkpoint.resolve("vocab.txt") + " (found beside the checkpoint"), run.err());
            assertEquals(Files.readString(Fixtures.vocab()), Files.readString(out.resolve("vocab.txt")));
            assertTrue(Files.exists(out.resolve("tokenizer.json")));
        }
    }

    @Test
    void withoutAVocabularyTheOutputHasNoTokenizerAndConvertSaysSo() throws Exception {
        Path out = tmp.resolve("out");
        CliRun run = CliRun.of("convert", CliRun.fixture("small").toString(), "-m", "generator", "-o", out.toString());
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
        assertTrue(run.err().lines().anyMatch(l -> l.startsWith("warning: no --vocab and no vocab.txt beside the checkpoint")), run.err());
        assertEquals(List.of("config.json", "model.safetensors"), ConvertedFolders.fileNames(out));
    }
}
