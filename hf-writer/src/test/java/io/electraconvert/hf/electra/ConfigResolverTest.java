package io.electraconvert.hf.electra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.electraconvert.error.BadInputException;
import io.electraconvert.testsupport.Fixtures;
import io.electraconvert.tfreader.TfCheckpoint;
import io.electraconvert.tfreader.meta.MetaGraphFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where each config value comes from: tensor shapes, an hparams file, the .meta graph, or a default rule. */
class ConfigResolverTest {
    @TempDir
    Path tmp;

    private static ModelLayout resolve(Path checkpoint, ModelChoice choice, Optional<Hparams> hparams) {
        try (TfCheckpoint ckpt = TfCheckpoint.open(checkpoint)) {
            ElectraCheckpointModel model = ElectraCheckpointModel.recognise(TensorShapes.of(ckpt.indexFile(), ckpt.tensors()));
            return ConfigResolver.resolve(model, model.require(choice), ConfigResolver.Evidence.locate(ckpt.prefix(), hparams));
        }
    }

    /** A copy of a fixture's checkpoint files only: no hparams.json, no .meta. */
    private Path bare(String fixture) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(fixture));
        try (var files = Files.list(Fixtures.checkpoint(fixture))) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (!name.equals("hparams.json") && !name.endsWith(".meta") && !name.equals("reference.json")) {
                    Files.copy(f, dir.resolve(name));
                }
            }
        }
        return dir;
    }

    @Test
    void theHparamsJsonBesideTheCheckpointGivesTheHeads() {
        Path dir = Fixtures.checkpoint("small");
        ModelLayout disc = resolve(dir, ModelChoice.of(ElectraNetwork.DISCRIMINATOR), Optional.empty());
        assertEquals(4, disc.config().numAttentionHeads(), "max(1, 32 // 64) would be 1");
        ConfigValue heads = disc.provenance().get("num_attention_heads");
        assertEquals(List.of(new ConfigSource(ConfigSource.Kind.HPARAMS, Optional.of(dir.toAbsolutePath().resolve("hparams.json")),
                "model_hparam_overrides.num_attention_heads")), heads.sources());
        ConfigValue hidden = disc.provenance().get("hidden_size");
        assertEquals(List.of(ConfigSource.tensor("electra/encoder/layer_0/attention/self/query/kernel [32, 32]"),
                new ConfigSource(ConfigSource.Kind.HPARAMS, Optional.of(dir.toAbsolutePath().resolve("hparams.json")),
                        "model_hparam_overrides.hidden_size")), hidden.sources());
        assertEquals(List.of(), disc.provenance().unverified());
        ModelLayout gen = resolve(dir, ModelChoice.of(ElectraNetwork.GENERATOR), Optional.empty());
        assertEquals("max(1, generator hidden size // 64) (get_generator_config)",
                gen.provenance().get("num_attention_heads").source().detail());
    }

    @Test
    void theMetaGraphGivesHeadsAndActivationWhenNoHparamsDo() {
        Path dir = Fixtures.checkpoint("meta-heads");
        Path meta = dir.toAbsolutePath().resolve("model.ckpt-2200.meta");
        ModelLayout disc = resolve(dir, ModelChoice.of(ElectraNetwork.DISCRIMINATOR), Optional.empty());
        assertEquals(4, disc.config().numAttentionHeads(), "the rule would give max(1, 32 // 64) = 1");
        assertEquals(List.of(ConfigSource.graph(meta, "electra/encoder/layer_0/attention/self/Reshape/shape = [3, 12, 4, 8]")),
                disc.provenance().get("num_attention_heads").sources());
        assertEquals(List.of(ConfigSource.graph(meta, "electra/encoder/layer_0/intermediate/dense/Erf = Erf op")),
                disc.provenance().get("hidden_act").sources());
        ModelLayout gen = resolve(dir, ModelChoice.of(ElectraNetwork.GENERATOR), Optional.empty());
        assertEquals(1, gen.config().numAttentionHeads());
        assertEquals(List.of(ConfigSource.graph(meta, "generator/encoder/layer_0/attention/self/Reshape/shape = [3, 12, 1, 16]")),
                gen.provenance().get("num_attention_heads").sources());
        assertEquals(List.of(), gen.provenance().unverified());
    }

    @Test
    void withNeitherTheHeadsAndActivationAreUnverifiedRules() throws Exception {
        ModelLayout disc = resolve(bare("small"), ModelChoice.of(ElectraNetwork.DISCRIMINATOR), Optional.empty());
        assertEquals(1, disc.config().numAttentionHeads());
        assertEquals(List.of("num_attention_heads", "hidden_act"),
                disc.provenance().unverified().stream().map(ConfigValue::key).toList());
        assertEquals(ConfigSource.rule("max(1, hidden_size // 64), google-research/electra's default"),
                disc.provenance().get("num_attention_heads").source());
    }

    @Test
    void hparamsThatContradictTheGraphNameBothValuesAndWhereEachCameFrom() throws Exception {
        Path dir = Fixtures.checkpoint("meta-heads");
        Path file = Files.writeString(tmp.resolve("hparams.json"), "{\"model_size\": \"base\", \"vocab_size\": 100, "
                + "\"embedding_size\": 8, \"generator_hidden_size\": 0.5, \"generator_layers\": 0.5, \"model_hparam_overrides\": "
                + "{\"hidden_size\": 32, \"num_hidden_layers\": 2, \"num_attention_heads\": 2, \"max_position_embeddings\": 32}}");
        BadInputException e = assertThrows(BadInputException.class,
                () -> resolve(dir, ModelChoice.of(ElectraNetwork.DISCRIMINATOR), Optional.of(Hparams.read(file))));
        assertEquals(file + ": hparams give the discriminator num_attention_heads = 2 "
                + "(model_hparam_overrides.num_attention_heads) but the graph in " + dir.toAbsolutePath().resolve("model.ckpt-2200.meta")
                + " has 4 (electra/encoder/layer_0/attention/self/Reshape/shape = [3, 12, 4, 8])", e.getMessage());
        // with the heads the graph has, both are sources of the value
        Files.writeString(file, Files.readString(file).replace("\"num_attention_heads\": 2", "\"num_attention_heads\": 4"));
        ModelLayout agreed = resolve(dir, ModelChoice.of(ElectraNetwork.DISCRIMINATOR), Optional.of(Hparams.read(file)));
        assertEquals(List.of(ConfigSource.Kind.HPARAMS, ConfigSource.Kind.META_GRAPH),
                agreed.provenance().get("num_attention_heads").sources().stream().map(ConfigSource::kind).toList());
    }

    @Test
    void hparamsThatContradictTheTensorsNameBothValuesAndWhereEachCameFrom() throws Exception {
        Path file = Files.writeString(tmp.resolve("hparams.json"), "{\"model_size\": \"small\", \"vocab_size\": 100, "
                + "\"model_hparam_overrides\": {\"hidden_size\": 32, \"num_hidden_layers\": 2, \"max_position_embeddings\": 32}}");
        BadInputException e = assertThrows(BadInputException.class, () -> resolve(Fixtures.checkpoint("small"),
                ModelChoice.of(ElectraNetwork.DISCRIMINATOR), Optional.of(Hparams.read(file))));
        assertEquals(file + ": hparams give the discriminator embedding_size = 128 (model_size \"small\" (configure file "
                + "sets embedding_size 128)) but the checkpoint's tensors have embedding_size = 16 "
                + "(electra/embeddings/word_embeddings [100, 16])", e.getMessage());
    }

    @Test
    void hparamsOfAnotherVariantOrOtherTasksAreRefused() throws Exception {
        Path untied = Files.writeString(tmp.resolve("hparams.json"), Files.readString(
                Fixtures.checkpoint("tied-generator").resolve("hparams.json")).replace("\"untied_generator\": false", "\"untied_generator\": true"));
        BadInputException e = assertThrows(BadInputException.class, () -> resolve(Fixtures.checkpoint("tied-generator"),
                ModelChoice.of(ElectraNetwork.DISCRIMINATOR), Optional.of(Hparams.read(untied))));
        assertEquals(untied + ": hparams describe a discriminator with a separate generator (electra_objective: true, "
                + "electric_objective: false, untied_generator: true, uniform_generator: false) but the checkpoint is an "
                + "ELECTRA pretraining checkpoint with a tied generator (untied_generator: false): one body, electra/, under "
                + "the discriminator head discriminator_predictions/ and the generator head generator_predictions/",
                e.getMessage());
        Path tasks = Files.writeString(tmp.resolve("tasks.json"), "{\"model_size\": \"small\", \"task_names\": [\"mnli\"], "
                + "\"vocab_size\": 100, \"embedding_size\": 16, \"model_hparam_overrides\": {\"hidden_size\": 32, "
                + "\"num_hidden_layers\": 2, \"num_attention_heads\": 2, \"max_position_embeddings\": 32}}");
        e = assertThrows(BadInputException.class, () -> resolve(Fixtures.checkpoint("finetune-glue"), ModelChoice.task("mnli"),
                Optional.of(Hparams.read(tasks))));
        assertEquals(tasks + ": hparams give task_names [mnli] but the checkpoint has the task heads [mnli, sts] "
                + "(task_specific/<task>/*)", e.getMessage());
        Path pretraining = Fixtures.checkpoint("small").resolve("hparams.json");
        e = assertThrows(BadInputException.class, () -> resolve(Fixtures.checkpoint("finetune-glue"), ModelChoice.task("mnli"),
                Optional.of(Hparams.read(pretraining))));
        assertEquals(pretraining + ": unknown hparam 'generator_hidden_size': configure_finetuning.FinetuningConfig has no "
                + "such setting (google-research/electra refuses it: Unknown hparam generator_hidden_size)", e.getMessage());
    }

    @Test
    void graphFactsOfTheMetaHeadsGraph() {
        MetaGraphFile graph = MetaGraphFile.read(Fixtures.checkpoint("meta-heads").resolve("model.ckpt-2200.meta"));
        assertEquals(Optional.of(new GraphFacts.Fact<>(4, "electra/encoder/layer_0/attention/self/Reshape/shape", "[3, 12, 4, 8]")),
                GraphFacts.heads(graph, "electra/"));
        assertEquals(Optional.of(new GraphFacts.Fact<>("gelu", "generator/encoder/layer_0/intermediate/dense/Erf", "Erf op")),
                GraphFacts.activation(graph, "generator/"));
        assertEquals(Optional.empty(), GraphFacts.heads(graph, "generator_ltr/"), "no such tower: the graph says nothing");
        assertEquals(Optional.empty(), GraphFacts.activation(graph, "generator_ltr/"));
    }
}
