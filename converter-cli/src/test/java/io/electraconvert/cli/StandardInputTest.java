package io.electraconvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.electraconvert.testsupport.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code -} where a file is read: --hparams, --vocab, --inputs. */
class StandardInputTest {
    @TempDir
    Path tmp;

    @Test
    void hparamsFromStandardInput() throws Exception {
        Path out = tmp.resolve("out");
        // the fixture's hparams give 4 heads, where shape inference (hidden 32 // 64) would give 1
        byte[] hparams = Files.readAllBytes(CliRun.fixture("small").resolve("hparams.json"));
        CliRun run = CliRun.withInput(hparams, "convert", CliRun.fixture("small").toString(), "-m", "discriminator", "-o",
                out.toString(), "--hparams", "-", "-q");
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
        assertEquals(4, new ObjectMapper().readTree(out.resolve("config.json").toFile()).get("num_attention_heads").asInt());
    }

    @Test
    void vocabularyFromStandardInput() throws Exception {
        Path out = tmp.resolve("out");
        byte[] vocab = Files.readAllBytes(Fixtures.vocab());
        CliRun run = CliRun.withInput(vocab, "convert", CliRun.fixture("small").toString(), "-m", "generator", "-o", out.toString(),
                "--vocab", "-", "-q");
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
        assertEquals(Files.readString(Fixtures.vocab()), Files.readString(out.resolve("vocab.txt")));
    }

    @Test
    void inputsFromStandardInput() throws Exception {
        Path folder = ConvertedFolders.convert("small", "discriminator", tmp.resolve("model"));
        Path file = Files.writeString(tmp.resolve("inputs.json"), "{\"input_ids\": [[2, 7, 3]]}");
        CliRun fromFile = CliRun.of("forward", folder.toString(), "--inputs", file.toString());
        CliRun fromStdin = CliRun.withInput(Files.readAllBytes(file), "forward", folder.toString(), "--inputs", "-");
        assertEquals(ExitCodes.OK, fromStdin.exitCode(), fromStdin.err());
        assertEquals(fromFile.out(), fromStdin.out());
    }

    @Test
    void badInputOnStandardInputIsNamedSo() {
        CliRun run = CliRun.withInput("{\"vocab_size\": ".getBytes(StandardCharsets.UTF_8), "convert", CliRun.fixture("small").toString(),
                "-m", "discriminator", "-o", tmp.resolve("out").toString(), "--hparams", "-");
        assertEquals(ExitCodes.BAD_INPUT, run.exitCode());
        List<String> lines = run.err().lines().toList();
        assertEquals(1, lines.size(), run.err());
        assertTrue(lines.get(0).startsWith("electra-convert: <stdin>: hparams file is not valid JSON"), run.err());
    }

    @Test
    void standardInputCanBeReadOnce() {
        CliRun run = CliRun.of("convert", CliRun.fixture("small").toString(), "-m", "discriminator", "-o", tmp.resolve("out").toString(),
                "--hparams", "-", "--vocab", "-");
        assertEquals(ExitCodes.USAGE, run.exitCode());
        assertEquals("electra-convert: standard input can be read only once, but --hparams and --vocab both name it ('-')",
                run.err().lines().findFirst().orElseThrow());
    }
}
