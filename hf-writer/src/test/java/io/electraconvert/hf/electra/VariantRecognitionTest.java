package io.electraconvert.hf.electra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.electraconvert.error.UnsupportedInputException;
import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.hf.plan.ConversionPlan;
import io.electraconvert.hf.plan.ConversionPlanner;
import io.electraconvert.hf.schema.HeadKind;
import io.electraconvert.testsupport.Fixtures;
import io.electraconvert.tfreader.TfCheckpoint;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every variant the variant fixtures hold (written by google-research/electra's own graph code): what is
 * recognised, what each choice converts into, and the exact refusals. Tables derived from a fixture cover the
 * layouts no fixture has (an unknown task, the answerable classifier next to separate start/end layers).
 */
class VariantRecognitionTest {
    /** The fixture's variables and shapes, in index order. */
    private static Map<String, long[]> shapes(String fixture) {
        Map<String, long[]> table = new LinkedHashMap<>();
        try (TfCheckpoint ckpt = TfCheckpoint.open(Fixtures.checkpoint(fixture))) {
            ckpt.tensors().forEach(t -> table.put(t.name(), t.shape()));
        }
        return table;
    }

    private static ElectraCheckpointModel model(String fixture) {
        return ElectraCheckpointModel.recognise(new TensorShapes(Path.of(fixture + ".index"), shapes(fixture)));
    }

    private static String refusal(ElectraCheckpointModel model, ModelChoice choice) {
        UnsupportedInputException e = assertThrows(UnsupportedInputException.class, () -> model.require(choice));
        String prefix = model.shapes().source() + ": the checkpoint ";
        assertEquals(prefix, e.getMessage().substring(0, prefix.length()), e.getMessage());
        return e.getMessage().substring(prefix.length());
    }

    /** Reason (in words) -> count of the variables a choice drops. */
    private static Map<String, Long> dropped(ElectraCheckpointModel model, ModelChoice choice) {
        ConversionPlan plan = ConversionPlanner.plan(model, model.require(choice));
        return new TreeMap<>(plan.dropped().stream().collect(Collectors.groupingBy(DroppedVariable::message, Collectors.counting())));
    }

    @Test
    void whatEachFixtureIs() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("finetune-glue", "FINETUNED NONE [] a fine-tuned checkpoint (run_finetuning.py): the body electra/ "
                + "with the task heads task_specific/mnli/, task_specific/sts/");
        expected.put("finetune-squad-joint", "FINETUNED NONE [] a fine-tuned checkpoint (run_finetuning.py): the body "
                + "electra/ with the task head task_specific/squad/");
        expected.put("mlm-only", "PRETRAINING SHARED_BODY [generator] a masked-LM pretraining checkpoint "
                + "(electra_objective: false): a full-size body, electra/, under the generator head generator_predictions/; "
                + "no discriminator");
        expected.put("tied-generator", "PRETRAINING SHARED_BODY [discriminator, generator] an ELECTRA pretraining "
                + "checkpoint with a tied generator (untied_generator: false): one body, electra/, under the discriminator "
                + "head discriminator_predictions/ and the generator head generator_predictions/");
        expected.put("electric", "PRETRAINING TWO_TOWER [discriminator] an Electric pretraining checkpoint "
                + "(electric_objective: true): the discriminator (electra/, discriminator_predictions/) and a two-tower cloze "
                + "generator (generator_ltr/, generator_rtl/, cloze_predictions/)");
        expected.put("uniform-generator", "PRETRAINING NONE [discriminator] an ELECTRA pretraining checkpoint with no "
                + "generator variables (as uniform_generator: true writes): the discriminator (electra/, "
                + "discriminator_predictions/) alone");
        expected.put("meta-heads", "PRETRAINING SEPARATE [discriminator, generator] an ELECTRA pretraining checkpoint: the "
                + "discriminator (electra/, discriminator_predictions/) and the generator (generator/, generator_predictions/; "
                + "embeddings shared with electra/embeddings/)");
        expected.put("untied", "PRETRAINING SEPARATE [discriminator, generator] an ELECTRA pretraining checkpoint: the "
                + "discriminator (electra/, discriminator_predictions/) and the generator (generator/, generator_predictions/; "
                + "its own embeddings generator/embeddings/, untied_generator_embeddings: true)");
        expected.forEach((fixture, what) -> {
            ElectraCheckpointModel m = model(fixture);
            assertEquals(what, m.kind() + " " + m.generator() + " " + m.networks() + " " + m.describe(), fixture);
        });
    }

    @Test
    void fineTunedTasksBecomeTheirHfClassesWithTheOriginalsLabels() {
        ElectraCheckpointModel glue = model("finetune-glue");
        ModelLayout mnli = glue.require(ModelChoice.task("mnli"));
        assertEquals(HeadKind.SEQUENCE_CLASSIFICATION, mnli.head());
        assertEquals(List.of("contradiction", "entailment", "neutral"), mnli.config().labels());
        assertEquals(null, mnli.config().problemType());
        assertEquals(List.of(ConfigSource.task("MNLI in finetune/classification/classification_tasks.py")),
                mnli.provenance().get("id2label").sources());
        assertEquals(List.of(ConfigSource.tensor("task_specific/mnli/dense/kernel [32, 3]")),
                mnli.provenance().get("num_labels").sources());
        ModelLayout sts = glue.require(ModelChoice.task("sts"));
        assertEquals(List.of("LABEL_0"), sts.config().labels());
        assertEquals("regression", sts.config().problemType());
        assertEquals(Map.of("Adam optimizer slot", 86L, "head of task mnli", 2L, "training step counter", 1L),
                dropped(glue, ModelChoice.task("sts")));

        ElectraCheckpointModel tagging = model("finetune-tagging");
        ModelLayout chunk = tagging.require(ModelChoice.task()); // its only task
        assertEquals(HeadKind.TOKEN_CLASSIFICATION, chunk.head());
        assertEquals(ElectraConfig.unnamedLabels(9), chunk.config().labels());
        assertEquals(false, chunk.provenance().get("id2label").verified());
        List<String> tags = List.of("B-NP", "B-VP", "E-NP", "E-VP", "I-NP", "O", "S-NP", "S-PP", "S-VP");
        ModelLayout named = tagging.require(new ModelChoice.Task(Optional.empty(), Optional.empty(), Optional.of(tags)));
        assertEquals(tags, named.config().labels());
        assertEquals(List.of(ConfigSource.option("--labels")), named.provenance().get("id2label").sources());

        ModelLayout squad = model("finetune-squad").require(ModelChoice.task());
        assertEquals(HeadKind.QUESTION_ANSWERING, squad.head());
        ConversionPlan plan = ConversionPlanner.plan(model("finetune-squad"), squad);
        assertEquals(List.of("task_specific/squad/dense/kernel", "task_specific/squad/dense_1/kernel"),
                plan.variables(plan.tensors().get(plan.tensors().size() - 2).source()));
    }

    @Test
    void pretrainingVariantsConvertTheirNetworksFromTheRightTowers() {
        ElectraCheckpointModel tied = model("tied-generator");
        assertEquals("electra/", tied.require(ElectraNetwork.GENERATOR).tf().tower());
        assertEquals(Map.of("Adam optimizer slot", 96L, "belongs to the discriminator", 4L, "training step counter", 1L),
                dropped(tied, ModelChoice.of(ElectraNetwork.GENERATOR)));
        ModelLayout mlm = model("mlm-only").require(ElectraNetwork.GENERATOR);
        assertEquals("electra/", mlm.tf().tower());
        assertEquals(32, mlm.config().hiddenSize());
        assertEquals(Map.of("Adam optimizer slot", 232L, "Electric's two-tower cloze generator (no HF class computes it)",
                73L, "training step counter", 1L), dropped(model("electric"), ModelChoice.of(ElectraNetwork.DISCRIMINATOR)));
        assertEquals(Map.of("Adam optimizer slot", 98L, "head of task squad", 10L, "training step counter", 1L),
                dropped(model("finetune-squad-joint"), ModelChoice.body()));
        ModelLayout body = model("small").require(ModelChoice.body());
        assertEquals(HeadKind.BODY, body.head());
        assertEquals(List.of("ElectraModel"), body.config().architectures());
    }

    @Test
    void refusalsNameWhatTheCheckpointHasAndTheNearestChoice() {
        assertEquals("has the joint SQuAD head of task squad (joint_prediction: true, the original's default: "
                + "task_specific/squad/ holds dense [16, 1], dense_1 [512, 1], dense_2 [32, 512], dense_3 [512, 1], "
                + "qa_hidden [32, 512]; qa_hidden and dense_1 compute the end logits from the start position), which no HF "
                + "class computes: ElectraForQuestionAnswering needs a checkpoint fine-tuned with joint_prediction: false; "
                + "convert the body with --model body (ElectraModel)",
                refusal(model("finetune-squad-joint"), ModelChoice.task()));
        assertEquals("is fine-tuned on 2 tasks (task_specific/mnli/*, task_specific/sts/*): pick one with --task mnli or "
                + "--task sts", refusal(model("finetune-glue"), ModelChoice.task()));
        assertEquals("has no task 'qqp' (task_specific/qqp/* is absent); its tasks: mnli, sts",
                refusal(model("finetune-glue"), ModelChoice.task("qqp")));
        assertEquals("is fine-tuned and has no discriminator (discriminator_predictions/* is absent; it has "
                + "task_specific/mnli/*, task_specific/sts/*): convert a task with --model task --task mnli|sts, or the "
                + "body with --model body", refusal(model("finetune-glue"), ModelChoice.of(ElectraNetwork.DISCRIMINATOR)));
        assertEquals("is fine-tuned and has no generator (generator_predictions/* is absent; it has "
                + "task_specific/chunk/*): convert its task with --model task, or the body with --model body",
                refusal(model("finetune-tagging"), ModelChoice.of(ElectraNetwork.GENERATOR)));
        assertEquals("is an Electric checkpoint: its generator is a two-tower cloze model (generator_ltr/*, "
                + "generator_rtl/*, cloze_predictions/*) that no HF class computes: convert --model discriminator "
                + "(ElectraForPreTraining) or --model body (ElectraModel)",
                refusal(model("electric"), ModelChoice.of(ElectraNetwork.GENERATOR)));
        assertEquals("has no generator variables (generator/* and generator_predictions/* are absent, as a checkpoint "
                + "trained with uniform_generator: true has them: that generator samples uniformly and has no weights; "
                + "it has electra/* and discriminator_predictions/*): convert --model discriminator (ElectraForPreTraining) "
                + "or --model body (ElectraModel)",
                refusal(model("uniform-generator"), ModelChoice.of(ElectraNetwork.GENERATOR)));
        assertEquals("is a masked-LM checkpoint (electra_objective: false) and has no discriminator "
                + "(discriminator_predictions/* is absent; it has electra/* and generator_predictions/*): convert "
                + "--model generator (ElectraForMaskedLM) or --model body (ElectraModel)",
                refusal(model("mlm-only"), ModelChoice.of(ElectraNetwork.DISCRIMINATOR)));
        assertEquals("is not fine-tuned (task_specific/* is absent): it is an ELECTRA pretraining checkpoint with no "
                + "generator variables (as uniform_generator: true writes): the discriminator (electra/, "
                + "discriminator_predictions/) alone; convert --model discriminator or --model body",
                refusal(model("uniform-generator"), ModelChoice.task()));
    }

    @Test
    void labelsThatDoNotFitTheHeadAreRefused() {
        ElectraCheckpointModel glue = model("finetune-glue");
        assertEquals("--labels gives 2 labels but task_specific/mnli/dense/kernel [32, 3] has 3 outputs",
                refusalOf(glue, new ModelChoice.Task(Optional.of("mnli"), Optional.empty(), Optional.of(List.of("a", "b")))));
        assertEquals("task sts is a regression task (one output), which has no labels to name: leave out --labels",
                refusalOf(glue, new ModelChoice.Task(Optional.of("sts"), Optional.empty(), Optional.of(List.of("score")))));
        assertEquals("task squad is question answering (start and end logits), which has no labels to name: leave out --labels",
                refusalOf(model("finetune-squad"), new ModelChoice.Task(Optional.empty(), Optional.empty(), Optional.of(List.of("x")))));
        assertEquals("task mnli is a classification task (MNLI in "
                + "finetune/classification/classification_tasks.py in google-research/electra), not tagging: leave out --task-type",
                refusalOf(glue, ModelChoice.task("mnli").withType(TaskType.TAGGING)));
    }

    private static String refusalOf(ElectraCheckpointModel model, ModelChoice choice) {
        UnsupportedInputException e = assertThrows(UnsupportedInputException.class, () -> model.require(choice));
        return e.getMessage().substring((model.shapes().source() + ": ").length());
    }

    /** finetune-glue's table with its mnli head renamed: a task google-research/electra does not define. */
    private static ElectraCheckpointModel renamedTask(String from, String to, String fixture) {
        Map<String, long[]> table = new LinkedHashMap<>();
        shapes(fixture).forEach((k, v) -> table.put(k.replace("task_specific/" + from + "/", "task_specific/" + to + "/"), v));
        return ElectraCheckpointModel.recognise(new TensorShapes(Path.of("ckpt.index"), table));
    }

    @Test
    void aTaskTheOriginalDoesNotDefineNeedsItsType() {
        ElectraCheckpointModel imdb = renamedTask("mnli", "imdb", "finetune-glue");
        assertEquals("task 'imdb' is not one of google-research/electra's tasks (chunk, cola, mnli, mrpc, naturalqs, "
                + "newsqa, qnli, qqp, rte, searchqa, squad, squadv1, sst, sts, triviaqa), so its head "
                + "task_specific/imdb/dense [32, 3] may classify sequences or tag tokens: say which with --task-type "
                + "classification, regression or tagging", refusalOf(imdb, ModelChoice.task("imdb")));
        ModelLayout classified = imdb.require(ModelChoice.task("imdb").withType(TaskType.CLASSIFICATION));
        assertEquals(HeadKind.SEQUENCE_CLASSIFICATION, classified.head());
        assertEquals(List.of("LABEL_0", "LABEL_1", "LABEL_2"), classified.config().labels());
        assertEquals(ConfigSource.Kind.RULE, classified.provenance().get("id2label").source().kind());
        ModelLayout tagged = imdb.require(ModelChoice.task("imdb").withType(TaskType.TAGGING));
        assertEquals(HeadKind.TOKEN_CLASSIFICATION, tagged.head());
        ElectraCheckpointModel score = renamedTask("sts", "score", "finetune-glue");
        assertEquals("task score's head task_specific/score/dense/kernel has one output: a regression head, not a "
                + "classification one (--task-type regression)", refusalOf(score,
                ModelChoice.task("score").withType(TaskType.CLASSIFICATION)));
        ModelLayout regression = score.require(ModelChoice.task("score").withType(TaskType.REGRESSION));
        assertEquals(List.of(ConfigSource.option("--task-type regression")), regression.provenance().get("problem_type").sources());
        // separate start and end layers say question answering without being told
        assertEquals(HeadKind.QUESTION_ANSWERING, renamedTask("squad", "nq", "finetune-squad").require(ModelChoice.task()).head());
    }

    @Test
    void theAnswerableClassifierIsDroppedWithItsReason() {
        Map<String, long[]> table = new LinkedHashMap<>(shapes("finetune-squad"));
        table.put("task_specific/squad/dense_2/kernel", new long[] {64, 512});
        table.put("task_specific/squad/dense_2/bias", new long[] {512});
        table.put("task_specific/squad/dense_3/kernel", new long[] {512, 1});
        table.put("task_specific/squad/dense_3/bias", new long[] {1});
        ElectraCheckpointModel model = ElectraCheckpointModel.recognise(new TensorShapes(Path.of("ckpt.index"), table));
        assertEquals(Map.of("Adam optimizer slot", 86L, "SQuAD 2.0 answerable classifier (answerable_classifier: true; "
                + "ElectraForQuestionAnswering has no place for it)", 4L, "training step counter", 1L),
                dropped(model, ModelChoice.task()));
    }

    @Test
    void aClassificationHeadWiderThanHalfTheHiddenSizeIsRefused() {
        Map<String, long[]> table = new LinkedHashMap<>(shapes("finetune-glue"));
        table.put("task_specific/imdb/dense/kernel", new long[] {32, 17});
        table.put("task_specific/imdb/dense/bias", new long[] {17});
        ElectraCheckpointModel model = ElectraCheckpointModel.recognise(new TensorShapes(Path.of("ckpt.index"), table));
        ModelLayout layout = model.require(ModelChoice.task("imdb").withType(TaskType.CLASSIFICATION));
        UnsupportedInputException e = assertThrows(UnsupportedInputException.class, () -> ConversionPlanner.plan(model, layout));
        assertEquals("ckpt.index: the task imdb head task_specific/imdb/dense/kernel [32, 17] has 17 outputs; "
                + "ElectraForSequenceClassification computes it exactly only with two hidden units per output "
                + "(gelu(z) - gelu(-z) = z), 2 x 17 <= hidden_size 32: convert the body with --model body", e.getMessage());
        // 16 labels fit exactly: 2 x 16 = 32
        table.put("task_specific/imdb/dense/kernel", new long[] {32, 16});
        table.put("task_specific/imdb/dense/bias", new long[] {16});
        ElectraCheckpointModel fits = ElectraCheckpointModel.recognise(new TensorShapes(Path.of("ckpt.index"), table));
        assertEquals(4 + 39, ConversionPlanner.plan(fits, fits.require(
                ModelChoice.task("imdb").withType(TaskType.CLASSIFICATION))).tensors().size());
    }
}
