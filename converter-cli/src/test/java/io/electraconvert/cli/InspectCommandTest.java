package io.electraconvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class InspectCommandTest {
    @Test
    void jsonReportOfTheSmallFixture() throws Exception {
        CliRun run = CliRun.of("inspect", CliRun.fixture("small").toString(), "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode r = new ObjectMapper().readTree(run.out());
        assertEquals(1, r.get("shards").size());
        assertEquals(r.get("tensor_count").asInt(), r.get("tensors").size());
        JsonNode disc = r.at("/electra/networks/discriminator");
        assertEquals("ElectraForPreTraining", disc.get("architecture").asText());
        assertEquals(16, disc.at("/config/embedding_size").asInt());
        assertEquals(32, disc.at("/config/hidden_size").asInt());
        assertEquals(2, disc.at("/config/num_hidden_layers").asInt());
        assertEquals(24, r.at("/electra/networks/generator/config/hidden_size").asInt());
        assertEquals(1, disc.at("/dropped/training step counter").asInt());
    }

    @Test
    void genericInspectorOnBert() {
        CliRun run = CliRun.of("inspect", CliRun.repoRoot().resolveSibling("shared/fixtures/third-party/keras-bert-tiny").toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("bert/embeddings/word_embeddings"), run.out());
        assertTrue(run.out().contains("not an ELECTRA pretraining checkpoint"), run.out());
    }
}
