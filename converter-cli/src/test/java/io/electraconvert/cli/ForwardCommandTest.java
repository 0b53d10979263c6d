package io.electraconvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForwardCommandTest {
    @TempDir
    Path tmp;

    @Test
    void printsOutputsAndHiddenStatesMatchingTheTensorFlowReference() throws Exception {
        Path out = ConvertedFolders.convert("small", "discriminator", tmp.resolve("disc"));
        JsonNode reference = new ObjectMapper().readTree(CliRun.fixture("small").resolve("reference.json").toFile());
        Path inputs = tmp.resolve("inputs.json");
        Files.writeString(inputs, reference.get("inputs").toString());
        CliRun run = CliRun.of("forward", out.toString(), "--inputs", inputs.toString(), "--hidden-states");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode r = new ObjectMapper().readTree(run.out());
        assertEquals("ElectraForPreTraining", r.get("architecture").asText());
        JsonNode logits = r.at("/outputs/logits");
        assertEquals(3, logits.size());
        assertEquals(12, logits.get(0).size());
        assertEquals(3, r.get("hidden_states").size(), "embeddings + 2 layers");
        double maxDiff = 0;
        for (int b = 0; b < 3; b++) {
            for (int t = 0; t < 12; t++) {
                maxDiff = Math.max(maxDiff, Math.abs(logits.get(b).get(t).asDouble()
                        - reference.at("/discriminator/logits").get(b).get(t).asDouble()));
            }
        }
        assertTrue(maxDiff <= 1e-4, "max abs diff vs TensorFlow " + maxDiff);
    }

    @Test
    void badInputsFileIsOneLineExitOne() throws Exception {
        Path out = ConvertedFolders.convert("small", "discriminator", tmp.resolve("disc"));
        Path inputs = tmp.resolve("inputs.json");
        Files.writeString(inputs, "{\"input_ids\": [[2, 10, 3], [2, 3]]}");
        CliRun ragged = CliRun.of("forward", out.toString(), "--inputs", inputs.toString());
        assertEquals(ExitCodes.BAD_INPUT, ragged.exitCode());
        assertTrue(ragged.err().contains("inputs.json: input_ids is not rectangular"), ragged.err());
        CliRun missing = CliRun.of("forward", out.toString(), "--inputs", tmp.resolve("nope.json").toString());
        assertEquals(ExitCodes.BAD_INPUT, missing.exitCode());
        assertTrue(missing.err().contains("nope.json: inputs file not found"), missing.err());
        Files.writeString(inputs, "{\"input_ids\": [[2, 1000, 3]]}");
        CliRun outOfVocab = CliRun.of("forward", out.toString(), "--inputs", inputs.toString());
        assertEquals(ExitCodes.BAD_INPUT, outOfVocab.exitCode(), outOfVocab.err());
        assertEquals(1, outOfVocab.err().lines().count(), outOfVocab.err());
    }
}
