package io.electraconvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.electraconvert.testsupport.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code convert} on every variant google-research/electra writes: what each choice writes, where the config values
 * came from (summary and warning lines), and the refusals (one line, exit 1, nothing written) and usage errors
 * (exit 2) of the new options.
 */
class ConvertVariantsTest {
    @TempDir
    Path tmp;

    private CliRun convert(Path checkpoint, String... options) {
        List<String> args = new ArrayList<>(List.of("convert", checkpoint.toString(), "--out", tmp.resolve("out").toString()));
        args.addAll(List.of(options));
        return CliRun.of(args.toArray(String[]::new));
    }

    private JsonNode config() throws Exception {
        return new ObjectMapper().readTree(tmp.resolve("out/config.json").toFile());
    }

    private static String abs(String fixture, String file) {
        return CliRun.fixture(fixture).toAbsolutePath().resolve(file).toString();
    }

    /** A copy of a fixture's checkpoint files alone: no hparams.json, no .meta graph beside them. */
    private Path bare(String fixture) throws Exception {
        Path dir = CliRun.copyFixture(fixture, tmp);
        Files.deleteIfExists(dir.resolve("hparams.json"));
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".meta")).toList()) {
                Files.delete(f);
            }
        }
        return dir;
    }

    private void assertRefused(CliRun run, String message) {
        assertEquals(ExitCodes.BAD_INPUT, run.exitCode(), run.err());
        assertEquals("electra-convert: " + message + "\n", run.err());
        assertFalse(Files.exists(tmp.resolve("out")), "nothing written");
    }

    @Test
    void theHparamsJsonBesideSmallGivesFourHeadsAndTheSummarySaysSo() throws Exception {
        CliRun run = convert(CliRun.fixture("small"), "--model", "discriminator");
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
        assertEquals(4, config().get("num_attention_heads").asInt(), "max(1, 32 // 64) would be 1");
        List<String> lines = run.err().lines().toList();
        String hparams = abs("small", "hparams.json");
        assertEquals("config: vocab 100, embedding 16, hidden 32, layers 2, heads 4, intermediate 128, positions 32", lines.get(1));
        assertEquals("  hparams: " + hparams + " (found beside the checkpoint)", lines.get(2));
        assertEquals("  vocab_size, embedding_size, hidden_size, num_hidden_layers, intermediate_size, max_position_embeddings, "
                + "type_vocab_size: tensor shapes (" + hparams + " agrees)", lines.get(3));
        assertEquals("  num_attention_heads 4: " + hparams + ": model_hparam_overrides.num_attention_heads", lines.get(4));
        assertEquals("  hidden_act gelu: " + hparams + ": BertConfig default gelu", lines.get(5));
        assertTrue(lines.get(6).startsWith("files: "), run.err());
    }

    @Test
    void metaHeadsGetsItsHeadsFromTheGraph() throws Exception {
        CliRun run = convert(CliRun.fixture("meta-heads"), "--model", "discriminator", "--vocab", Fixtures.vocab().toString());
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
        assertEquals(4, config().get("num_attention_heads").asInt());
        assertTrue(run.err().contains("\n  num_attention_heads 4: the graph in " + abs("meta-heads", "model.ckpt-2200.meta")
                + ": electra/encoder/layer_0/attention/self/Reshape/shape = [3, 12, 4, 8]\n"), run.err());
        assertFalse(run.err().contains("warning"), run.err());
    }

    @Test
    void withNeitherHparamsNorGraphTheRuleIsUsedWithAOneLineWarningEvenWhenQuiet() throws Exception {
        CliRun run = convert(bare("small"), "--model", "discriminator", "--quiet");
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
        assertEquals(1, config().get("num_attention_heads").asInt());
        assertEquals("warning: num_attention_heads 1 and hidden_act gelu are only google-research/electra's defaults, not "
                + "read from this checkpoint: pass --hparams with the hparams it was trained with (or keep them as "
                + "hparams.json beside it, or keep its model.ckpt-N.meta) to make them certain\n", run.err());
    }

    @Test
    void fineTunedHeadsConvertWithTheirLabels() throws Exception {
        CliRun mnli = convert(CliRun.fixture("finetune-glue"), "--model", "task", "--task", "mnli", "--quiet");
        assertEquals(ExitCodes.OK, mnli.exitCode(), mnli.err());
        assertEquals("", mnli.err());
        JsonNode c = config();
        assertEquals("ElectraForSequenceClassification", c.get("architectures").get(0).asText());
        assertEquals("{\"0\":\"contradiction\",\"1\":\"entailment\",\"2\":\"neutral\"}", c.get("id2label").toString());
        assertEquals(2, c.get("num_attention_heads").asInt());

        CliRun chunk = convert(CliRun.fixture("finetune-tagging"), "--model", "task", "--labels", "B-NP,B-VP,E-NP,E-VP,I-NP,O,S-NP,S-PP,S-VP",
                "--quiet", "--force");
        assertEquals(ExitCodes.OK, chunk.exitCode(), chunk.err());
        assertEquals("", chunk.err(), "named labels: nothing unverified");
        assertEquals("ElectraForTokenClassification", config().get("architectures").get(0).asText());
        assertEquals("S-VP", config().get("id2label").get("8").asText());

        CliRun unnamed = convert(CliRun.fixture("finetune-tagging"), "--model", "task", "--quiet", "--force");
        assertEquals("warning: the label names are transformers' LABEL_0, LABEL_1, ...: pass --labels with the task's "
                + "labels in output order\n", unnamed.err());

        CliRun squad = convert(CliRun.fixture("finetune-squad"), "--model", "task", "--force");
        assertEquals(ExitCodes.OK, squad.exitCode(), squad.err());
        assertTrue(squad.err().startsWith("converted task squad -> " + tmp.resolve("out") + " (ElectraForQuestionAnswering): "
                + "41 tensors, "), squad.err());

        CliRun body = convert(CliRun.fixture("finetune-squad-joint"), "--model", "body", "--quiet", "--force");
        assertEquals(ExitCodes.OK, body.exitCode(), body.err());
        assertEquals("ElectraModel", config().get("architectures").get(0).asText());
    }

    @Test
    void electricSaysItsLogitsAreTheRawOnes() {
        CliRun run = convert(CliRun.fixture("electric"), "--model", "discriminator");
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
        assertTrue(run.err().contains("\nnote: dropped Electric's two-tower cloze generator (73 variables): the logits are "
                + "the discriminator's raw ones, before the original adds log q(token) + log(mask_prob / (1 - mask_prob))\n"),
                run.err());
    }

    @Test
    void refusalsAreOneLineNamingWhatIsThereAndTheNearestChoice() {
        String joint = abs("finetune-squad-joint", "model.ckpt-4500.index");
        assertRefused(convert(CliRun.fixture("finetune-squad-joint"), "--model", "task"), joint + ": the checkpoint has the "
                + "joint SQuAD head of task squad (joint_prediction: true, the original's default: task_specific/squad/ holds "
                + "dense [16, 1], dense_1 [512, 1], dense_2 [32, 512], dense_3 [512, 1], qa_hidden [32, 512]; qa_hidden and "
                + "dense_1 compute the end logits from the start position), which no HF class computes: "
                + "ElectraForQuestionAnswering needs a checkpoint fine-tuned with joint_prediction: false; convert the body "
                + "with --model body (ElectraModel)");
        assertRefused(convert(CliRun.fixture("finetune-glue"), "--model", "task"), abs("finetune-glue", "model.ckpt-3000.index")
                + ": the checkpoint is fine-tuned on 2 tasks (task_specific/mnli/*, task_specific/sts/*): pick one with "
                + "--task mnli or --task sts");
        assertRefused(convert(CliRun.fixture("uniform-generator"), "--model", "generator"), abs("uniform-generator",
                "model.ckpt-1800.index") + ": the checkpoint has no generator variables (generator/* and "
                + "generator_predictions/* are absent, as a checkpoint trained with uniform_generator: true has them: that "
                + "generator samples uniformly and has no weights; it has electra/* and discriminator_predictions/*): "
                + "convert --model discriminator (ElectraForPreTraining) or --model body (ElectraModel)");
        assertRefused(convert(CliRun.fixture("electric"), "--model", "generator"), abs("electric", "model.ckpt-1600.index")
                + ": the checkpoint is an Electric checkpoint: its generator is a two-tower cloze model (generator_ltr/*, "
                + "generator_rtl/*, cloze_predictions/*) that no HF class computes: convert --model discriminator "
                + "(ElectraForPreTraining) or --model body (ElectraModel)");
        assertRefused(convert(CliRun.fixture("finetune-glue"), "--model", "task", "--task", "mnli", "--format", "tf"),
                "tf_model.h5 (--format tf) is written for ElectraForPreTraining and ElectraForMaskedLM only; the task mnli "
                + "becomes ElectraForSequenceClassification: write it as safetensors or pytorch");
        assertRefused(convert(CliRun.fixture("finetune-glue"), "--model", "task", "--task", "mnli", "--labels", "yes,no"),
                abs("finetune-glue", "model.ckpt-3000.index") + ": --labels gives 2 labels but task_specific/mnli/dense/kernel "
                + "[32, 3] has 3 outputs");
    }

    @Test
    void aGeneratorWhoseActivationIsNotGeluIsRefused() throws Exception {
        Path dir = CliRun.copyFixture("small", tmp);
        String hparams = Files.readString(dir.resolve("hparams.json")).replace("\"num_attention_heads\": 4,",
                "\"num_attention_heads\": 4, \"hidden_act\": \"relu\",");
        Files.writeString(dir.resolve("hparams.json"), hparams);
        assertRefused(convert(dir, "--model", "generator"), dir.toAbsolutePath().resolve("hparams.json")
                + ": the generator's hidden_act is relu (model_hparam_overrides.hidden_act), but transformers' "
                + "ElectraForMaskedLM always applies gelu in its generator head; only a gelu generator converts exactly");
        // the discriminator's head applies hidden_act in transformers too
        CliRun disc = convert(dir, "--model", "discriminator", "--quiet");
        assertEquals(ExitCodes.OK, disc.exitCode(), disc.err());
        assertEquals("relu", config().get("hidden_act").asText());
    }

    @Test
    void aBadHparamsJsonBesideTheCheckpointIsNamedAndStopsTheConversion() throws Exception {
        Path dir = CliRun.copyFixture("small", tmp);
        Files.writeString(dir.resolve("hparams.json"), "{\"model_size\": \"base\", \"max_predictions_per_seq\": 19}");
        assertRefused(convert(dir, "--model", "discriminator"), dir.toAbsolutePath().resolve("hparams.json")
                + ": unknown hparam 'max_predictions_per_seq': configure_pretraining.PretrainingConfig has no such setting "
                + "(google-research/electra refuses it: Unknown hparam max_predictions_per_seq)");
        // inspect still lists the tensors, and gives every choice the same error
        CliRun inspect = CliRun.of("inspect", dir.toString());
        assertEquals(ExitCodes.OK, inspect.exitCode(), inspect.err());
        assertTrue(inspect.out().contains("\n--model discriminator: refused: " + dir.toAbsolutePath().resolve("hparams.json")
                + ": unknown hparam 'max_predictions_per_seq'"), inspect.out());
        // --hparams names the file to use instead
        CliRun given = convert(dir, "--model", "discriminator", "--hparams", CliRun.fixture("small").resolve("hparams.json").toString(),
                "--quiet");
        assertEquals(ExitCodes.OK, given.exitCode(), given.err());
    }

    @Test
    void convertedHeadsAreValidFoldersForInspect() throws Exception {
        for (String[] c : new String[][] {{"finetune-glue", "task", "mnli"}, {"finetune-squad", "task", "squad"},
                {"finetune-tagging", "task", "chunk"}, {"finetune-squad-joint", "body", ""}}) {
            List<String> options = new ArrayList<>(List.of("--model", c[1], "--quiet", "--force"));
            if (!c[2].isEmpty()) {
                options.addAll(List.of("--task", c[2]));
            }
            assertEquals(ExitCodes.OK, convert(CliRun.fixture(c[0]), options.toArray(String[]::new)).exitCode(), c[0]);
            CliRun inspect = CliRun.of("inspect", tmp.resolve("out").toString(), "--json");
            assertEquals(ExitCodes.OK, inspect.exitCode(), c[0] + ": " + inspect.err());
            assertTrue(new ObjectMapper().readTree(inspect.out()).get("valid").asBoolean(), c[0]);
        }
    }

    @Test
    void taskOptionsAreUsageErrorsOutsideModelTask() {
        String[][] cases = {
                {"electra-convert: --task applies to --model task, not --model discriminator", "--model", "discriminator", "--task", "mnli"},
                {"electra-convert: --labels applies to --model task, not --model body", "--model", "body", "--labels", "a,b"},
                {"electra-convert: --task-type applies to --model task, not --model generator", "--model", "generator",
                        "--task-type", "tagging"},
                {"electra-convert: --labels names 'a' twice", "--model", "task", "--labels", "a,b,a"},
                {"electra-convert: --labels has an empty label name: 'a,,b'", "--model", "task", "--labels", "a,,b"},
                {"electra-convert: Invalid value for option '--task-type': expected classification, regression, tagging or "
                        + "question-answering, got 'ner'", "--model", "task", "--task-type", "ner"},
                {"electra-convert: Invalid value for option '--model': expected discriminator, generator, body or task, got "
                        + "'teacher'", "--model", "teacher"},
        };
        for (String[] c : cases) {
            CliRun run = convert(CliRun.fixture("finetune-glue"), java.util.Arrays.copyOfRange(c, 1, c.length));
            assertEquals(ExitCodes.USAGE, run.exitCode(), run.err());
            assertEquals(c[0], run.err().lines().findFirst().orElse(""));
            assertFalse(Files.exists(tmp.resolve("out")));
        }
    }
}
