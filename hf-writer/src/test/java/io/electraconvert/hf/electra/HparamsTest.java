package io.electraconvert.hf.electra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.electraconvert.error.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * google-research/electra's hparams expanded in the original's order (configure_pretraining.py /
 * configure_finetuning.py, util/training_utils.get_bert_config, the debug sizes of run_pretraining.py /
 * run_finetuning.py, run_pretraining.get_generator_config), each value with how the file gives it.
 */
class HparamsTest {
    @TempDir
    Path tmp;

    private Hparams hparams(String json) throws Exception {
        return Hparams.read(Files.writeString(tmp.resolve("hparams.json"), json));
    }

    /** key -> value, for comparing whole expansions. */
    private static Map<String, Object> values(Map<String, Hparams.Stated> stated) {
        Map<String, Object> values = new LinkedHashMap<>();
        stated.forEach((k, v) -> values.put(k, v.value()));
        return values;
    }

    @Test
    void overridesWinOverTheHeadAndFeedForwardRulesAndReachTheGeneratorOnlyThroughItsOwnRules() throws Exception {
        Hparams h = hparams("{\"model_size\": \"base\", \"embedding_size\": 4, \"vocab_size\": 10,"
                + " \"model_hparam_overrides\": {\"hidden_size\": 8, \"num_hidden_layers\": 1, \"intermediate_size\": 16,"
                + " \"num_attention_heads\": 2, \"max_position_embeddings\": 6}}");
        Map<String, Hparams.Stated> body = h.stated(Hparams.Tower.BODY);
        assertEquals(Map.of("hidden_size", 8, "num_hidden_layers", 1, "vocab_size", 10, "num_attention_heads", 2,
                "intermediate_size", 16, "max_position_embeddings", 6, "type_vocab_size", 2, "hidden_act", "gelu",
                "embedding_size", 4), values(body));
        assertEquals("model_hparam_overrides.num_attention_heads", body.get("num_attention_heads").how());
        assertEquals("BertConfig default 2", body.get("type_vocab_size").how());
        Map<String, Hparams.Stated> gen = h.stated(Hparams.Tower.GENERATOR);
        assertEquals(2, gen.get("hidden_size").value(), "round(8 * 0.25)");
        assertEquals(8, gen.get("intermediate_size").value(), "4 * generator hidden");
        assertEquals(1, gen.get("num_attention_heads").value(), "max(1, 2 // 64): overrides do not reach the generator");
        assertEquals("max(1, generator hidden size // 64) (get_generator_config)", gen.get("num_attention_heads").how());
        assertEquals(4, gen.get("embedding_size").value(), "shared embeddings keep the discriminator's width");
    }

    @Test
    void generatorFractionsRoundHalfToEvenAsPythonsRoundDoes() throws Exception {
        // 36 * 0.125 = 4.5 -> 4 (Math.round would give 5); 5 * 0.5 = 2.5 -> 2; 3 * 0.5 = 1.5 -> 2
        Hparams h = hparams("{\"model_size\": \"base\", \"generator_hidden_size\": 0.125, \"generator_layers\": 0.5,"
                + " \"model_hparam_overrides\": {\"hidden_size\": 36, \"num_hidden_layers\": 5}}");
        Map<String, Hparams.Stated> gen = h.stated(Hparams.Tower.GENERATOR);
        assertEquals(4, gen.get("hidden_size").value());
        assertEquals("round(hidden_size x generator_hidden_size 0.125) (get_generator_config)", gen.get("hidden_size").how());
        assertEquals(2, gen.get("num_hidden_layers").value());
        assertEquals(16, gen.get("intermediate_size").value());
        Hparams three = hparams("{\"model_size\": \"base\", \"generator_layers\": 0.5,"
                + " \"model_hparam_overrides\": {\"num_hidden_layers\": 3}}");
        assertEquals(2, three.stated(Hparams.Tower.GENERATOR).get("num_hidden_layers").value());
    }

    @Test
    void debugHardCodesTheBodyAfterGetBertConfigSoOverridesLose() throws Exception {
        Hparams h = hparams("{\"debug\": true, \"model_size\": \"base\", \"model_hparam_overrides\": "
                + "{\"hidden_size\": 32, \"num_attention_heads\": 12, \"intermediate_size\": 7}}");
        Map<String, Hparams.Stated> body = h.stated(Hparams.Tower.BODY);
        assertEquals(144, body.get("hidden_size").value());
        assertEquals(3, body.get("num_hidden_layers").value());
        assertEquals(576, body.get("intermediate_size").value());
        assertEquals(4, body.get("num_attention_heads").value(), "hard-coded 4, not 144 // 64 = 2, not the override's 12");
        assertEquals("debug: true (hard-coded 4 heads)", body.get("num_attention_heads").how());
        assertEquals(144, body.get("embedding_size").value(), "unset: the (debug) hidden size");
        Map<String, Hparams.Stated> gen = h.stated(Hparams.Tower.GENERATOR);
        assertEquals(36, gen.get("hidden_size").value(), "round(144 * 0.25) of the debug body");
        assertEquals(3, gen.get("num_hidden_layers").value());
        assertEquals(1, gen.get("num_attention_heads").value());
    }

    @Test
    void modelSizeSmallSetsEmbedding128UnlessTheFileGivesOne() throws Exception {
        Hparams unset = hparams("{\"model_size\": \"small\"}");
        assertEquals(128, unset.stated(Hparams.Tower.BODY).get("embedding_size").value());
        assertEquals("model_size \"small\" (configure file sets embedding_size 128)",
                unset.stated(Hparams.Tower.BODY).get("embedding_size").how());
        Hparams defaultSize = hparams("{}"); // both configure files default to "small"
        assertEquals(Map.of("hidden_size", 256, "num_hidden_layers", 12, "vocab_size", 30522, "num_attention_heads", 4,
                "intermediate_size", 1024, "max_position_embeddings", 512, "type_vocab_size", 2, "hidden_act", "gelu",
                "embedding_size", 128), values(defaultSize.stated(Hparams.Tower.BODY)));
        // the configure files apply the passed values again after the size defaults: an explicit value wins
        Hparams explicit = hparams("{\"model_size\": \"small\", \"embedding_size\": 16}");
        assertEquals(16, explicit.stated(Hparams.Tower.BODY).get("embedding_size").value());
        Hparams explicitNull = hparams("{\"model_size\": \"small\", \"embedding_size\": null}");
        assertEquals(256, explicitNull.stated(Hparams.Tower.BODY).get("embedding_size").value());
        assertEquals("hidden_size (embedding_size null)", explicitNull.stated(Hparams.Tower.BODY).get("embedding_size").how());
        Hparams untied = hparams("{\"model_size\": \"small\", \"untied_generator_embeddings\": true}");
        assertEquals(64, untied.stated(Hparams.Tower.GENERATOR).get("embedding_size").value());
    }

    @Test
    void anEmbeddingSizeOverrideDoesNothingAsInTheOriginal() throws Exception {
        // BertConfig takes it, but BertModel's width comes from the configure file's embedding_size
        Hparams h = hparams("{\"model_size\": \"base\", \"model_hparam_overrides\": {\"embedding_size\": 16}}");
        assertEquals(768, h.stated(Hparams.Tower.BODY).get("embedding_size").value());
    }

    @Test
    void keysTheOriginalsConfigClassDoesNotHaveAreRefusedAsItRefusesThem() throws Exception {
        String[][] cases = {
                {"{\"max_predictions_per_seq\": 19}", "PRETRAINING", "unknown hparam 'max_predictions_per_seq': "
                        + "configure_pretraining.PretrainingConfig has no such setting (google-research/electra refuses it: "
                        + "Unknown hparam max_predictions_per_seq)"},
                {"{\"task_names\": [\"mnli\"]}", "PRETRAINING", "unknown hparam 'task_names': "
                        + "configure_pretraining.PretrainingConfig has no such setting (google-research/electra refuses it: "
                        + "Unknown hparam task_names)"},
                {"{\"generator_hidden_size\": 0.5}", "FINETUNING", "unknown hparam 'generator_hidden_size': "
                        + "configure_finetuning.FinetuningConfig has no such setting (google-research/electra refuses it: "
                        + "Unknown hparam generator_hidden_size)"},
                {"{\"write_distill_outputs\": false}", "FINETUNING", "unknown hparam 'write_distill_outputs': "
                        + "configure_finetuning.FinetuningConfig has no such setting (google-research/electra refuses it: "
                        + "Unknown hparam write_distill_outputs)"},
                {"{\"model_name\": \"x\"}", "PRETRAINING", "'model_name' is not an hparam: it is the command-line argument "
                        + "--model-name of google-research/electra's scripts (configure_pretraining.PretrainingConfig takes "
                        + "it as a positional argument)"},
        };
        for (String[] c : cases) {
            Hparams h = hparams(c[0]);
            BadInputException e = assertThrows(BadInputException.class, () -> h.checkKeys(Hparams.Script.valueOf(c[1])), c[0]);
            assertEquals(h.file() + ": " + c[2], e.getMessage());
        }
        hparams("{\"task_names\": [\"mnli\"], \"joint_prediction\": false, \"beam_size\": 4}").checkKeys(Hparams.Script.FINETUNING);
        hparams("{\"electric_objective\": true, \"max_seq_length\": 32}").checkKeys(Hparams.Script.PRETRAINING);
        // BertConfig.from_dict takes any key
        hparams("{\"hidden_size\": 32, \"hidden_dropout_prob\": 0.1, \"anything\": 1}").checkKeys(Hparams.Script.PRETRAINING);
    }

    @Test
    void settingsOfTheWrongTypeAreNamedNotCast() throws Exception {
        String[][] cases = {
                {"{\"debug\": 1}", "debug must be true or false, got 1"},
                {"{\"untied_generator\": \"no\"}", "untied_generator must be true or false, got \"no\""},
                {"{\"task_names\": \"mnli\"}", "task_names must be a list of task names, got \"mnli\""},
                {"{\"task_names\": []}", "task_names must be a list of task names, got []"},
                {"{\"model_size\": \"medium\"}", "unknown model_size 'medium' (small, base or large)"},
        };
        for (String[] c : cases) {
            Path file = Files.writeString(tmp.resolve("hparams.json"), c[0]);
            BadInputException e = assertThrows(BadInputException.class,
                    () -> Hparams.read(file).stated(Hparams.Tower.BODY), c[0]);
            assertEquals(file + ": " + c[1], e.getMessage());
        }
    }
}
