package io.electraconvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.electraconvert.testsupport.Fixtures;
import org.junit.jupiter.api.Test;

class InspectCommandTest {
    @Test
    void jsonReportOfTheSmallFixture() throws Exception {
        CliRun run = CliRun.of("inspect", CliRun.fixture("small").toString(), "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode r = new ObjectMapper().readTree(run.out());
        assertEquals(1, r.get("shards").size());
        assertEquals(r.get("tensor_count").asInt(), r.get("tensors").size());
        assertEquals("pretraining", r.at("/electra/kind").asText());
        assertEquals(CliRun.fixture("small").toAbsolutePath().resolve("hparams.json").toString(), r.at("/electra/hparams").asText());
        assertTrue(r.at("/electra/hparams_found_beside_checkpoint").asBoolean());
        JsonNode disc = r.at("/electra/choices/0");
        assertEquals("discriminator", disc.get("model").asText());
        assertEquals("ElectraForPreTraining", disc.get("architecture").asText());
        assertEquals(16, disc.at("/config/embedding_size").asInt());
        assertEquals(32, disc.at("/config/hidden_size").asInt());
        assertEquals(2, disc.at("/config/num_hidden_layers").asInt());
        assertEquals(4, disc.at("/config/num_attention_heads").asInt());
        assertEquals(24, r.at("/electra/choices/1/config/hidden_size").asInt());
        assertEquals("ElectraModel", r.at("/electra/choices/2/architecture").asText());
        assertEquals(1, disc.at("/dropped/training_step/count").asInt());
        assertEquals("training step counter", disc.at("/dropped/training_step/message").asText());
        assertTrue(disc.at("/dropped/optimizer_slot/count").asInt() > 0);
        assertEquals("belongs to the generator", disc.at("/dropped/other_network/message").asText());
    }

    @Test
    void jsonNamesTheVariantAndWhereEachValueComesFrom() throws Exception {
        CliRun run = CliRun.of("inspect", CliRun.fixture("meta-heads").toString(), "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode e = new ObjectMapper().readTree(run.out()).get("electra");
        String meta = CliRun.fixture("meta-heads").toAbsolutePath().resolve("model.ckpt-2200.meta").toString();
        assertEquals(meta, e.get("meta_graph").asText());
        assertTrue(e.path("hparams").isMissingNode());
        JsonNode heads = e.at("/choices/0/provenance/num_attention_heads");
        assertEquals("{\"value\":4,\"verified\":true,\"sources\":[{\"kind\":\"meta_graph\",\"file\":\"" + meta
                + "\",\"detail\":\"electra/encoder/layer_0/attention/self/Reshape/shape = [3, 12, 4, 8]\"}]}", heads.toString());
        assertEquals("{\"value\":32,\"verified\":true,\"sources\":[{\"kind\":\"tensor_shapes\",\"detail\":"
                + "\"electra/encoder/layer_0/attention/self/query/kernel [32, 32]\"}]}",
                e.at("/choices/0/provenance/hidden_size").toString());
        assertTrue(e.at("/choices/0/warning").isMissingNode());

        JsonNode glue = new ObjectMapper().readTree(CliRun.of("inspect", CliRun.fixture("finetune-glue").toString(), "--json")
                .out()).get("electra");
        assertEquals("finetuned", glue.get("kind").asText());
        assertEquals("[{\"name\":\"mnli\",\"scope\":\"task_specific/mnli/\",\"variables\":\"dense [32, 3]\",\"type\":"
                + "\"classification\",\"defined_by\":\"MNLI in finetune/classification/classification_tasks.py\"},"
                + "{\"name\":\"sts\",\"scope\":\"task_specific/sts/\",\"variables\":\"dense [32, 1]\",\"type\":"
                + "\"regression\",\"defined_by\":\"STS in finetune/classification/classification_tasks.py\"}]",
                glue.get("tasks").toString());
        assertEquals("body task task", String.join(" ", glue.get("choices").findValuesAsText("model")));
        assertEquals("[\"contradiction\",\"entailment\",\"neutral\"]", glue.at("/choices/1/config/id2label").toString());
        assertEquals("regression", glue.at("/choices/2/config/problem_type").asText());
    }

    @Test
    void textListsEveryChoiceWithItsClassOrItsRefusal() {
        CliRun run = CliRun.of("inspect", CliRun.fixture("finetune-squad-joint").toString());
        assertEquals(0, run.exitCode(), run.err());
        String index = CliRun.fixture("finetune-squad-joint").toAbsolutePath().resolve("model.ckpt-4500.index").toString();
        assertTrue(run.out().contains("\nELECTRA: a fine-tuned checkpoint (run_finetuning.py): the body electra/ with the task "
                + "head task_specific/squad/\n"), run.out());
        assertTrue(run.out().contains("\ntask squad: dense [16, 1], dense_1 [512, 1], dense_2 [32, 512], dense_3 [512, 1], "
                + "qa_hidden [32, 512] (question-answering, SQuAD in finetune/qa/qa_tasks.py)\n"), run.out());
        assertTrue(run.out().contains("\n--model body -> ElectraModel\n"), run.out());
        assertTrue(run.out().contains("\n--model task --task squad: refused: " + index + ": the checkpoint has the joint SQuAD "
                + "head of task squad (joint_prediction: true"), run.out());
        CliRun uniform = CliRun.of("inspect", CliRun.fixture("uniform-generator").toString());
        assertTrue(uniform.out().contains("\n--model discriminator -> ElectraForPreTraining\n"), uniform.out());
        assertTrue(uniform.out().contains("\n--model generator: refused: "), uniform.out());
    }

    @Test
    void genericInspectorOnBert() {
        CliRun run = CliRun.of("inspect", Fixtures.thirdParty("keras-bert-tiny").toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("bert/embeddings/word_embeddings"), run.out());
        assertTrue(run.out().contains("ELECTRA: not an ELECTRA checkpoint (no electra/ body, generator/ tower or "
                + "task_specific/ head)"), run.out());
    }

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path tmp;

    private java.nio.file.Path converted(String... extra) {
        java.nio.file.Path out = tmp.resolve("model");
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("convert", CliRun.fixture("small").toString(),
                "--model", "generator", "--out", out.toString(), "--quiet"));
        args.addAll(java.util.List.of(extra));
        assertEquals(0, CliRun.of(args.toArray(String[]::new)).exitCode());
        return out;
    }

    @Test
    void convertedFolderIsValid() throws Exception {
        java.nio.file.Path out = converted("--max-shard-size", "30KB");
        CliRun run = CliRun.of("inspect", out.toString(), "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode r = new ObjectMapper().readTree(run.out());
        assertTrue(r.get("valid").asBoolean());
        assertEquals("safetensors", r.get("tensors_from").asText());
        assertEquals("safetensors", r.at("/formats/0/format").asText());
        assertTrue(r.at("/formats/0/sharded").asBoolean(), r.toString());
        assertEquals(44, r.get("tensors").size());
        assertEquals(24, r.at("/config/hidden_size").asInt());
    }

    @Test
    void truncatedSafetensorsIsOneLineAndExitOne() throws Exception {
        java.nio.file.Path out = converted();
        java.nio.file.Path weights = out.resolve("model.safetensors");
        byte[] bytes = java.nio.file.Files.readAllBytes(weights);
        java.nio.file.Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        CliRun run = CliRun.of("inspect", out.toString());
        assertEquals(ExitCodes.BAD_INPUT, run.exitCode());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().contains(weights + ": safetensors file is " + (bytes.length - 10) + " bytes but its header describes "
                + bytes.length + " (truncated)"), run.err());
    }

    @Test
    void wrongConfigIsReportedAsInvalid() throws Exception {
        java.nio.file.Path out = converted();
        java.nio.file.Path config = out.resolve("config.json");
        java.nio.file.Files.writeString(config, java.nio.file.Files.readString(config).replace("\"intermediate_size\" : 96", "\"intermediate_size\" : 97"));
        CliRun run = CliRun.of("inspect", out.toString());
        assertEquals(ExitCodes.BAD_INPUT, run.exitCode(), run.out());
        assertTrue(run.out().contains("INVALID"), run.out());
        assertTrue(run.err().contains("electra.encoder.layer.0.intermediate.dense.weight has shape [96, 24], config needs [97, 24]"), run.err());
    }

    @Test
    void shardIndexThatDisagreesWithShardsIsRejected() throws Exception {
        java.nio.file.Path out = converted("--max-shard-size", "30KB");
        java.nio.file.Path index = out.resolve("model.safetensors.index.json");
        java.nio.file.Files.writeString(index, java.nio.file.Files.readString(index).replace(
                "\"electra.embeddings.LayerNorm.bias\" : \"model-00001-of-", "\"electra.embeddings.LayerNorm.bias\" : \"model-00002-of-"));
        CliRun run = CliRun.of("inspect", out.toString());
        assertEquals(ExitCodes.BAD_INPUT, run.exitCode());
        assertTrue(run.err().contains("weight_map puts 'electra.embeddings.LayerNorm.bias' in model-00002-of-"), run.err());
    }
}
