package io.electraconvert.hf.electra;

import io.electraconvert.error.UnsupportedInputException;
import io.electraconvert.hf.config.ElectraConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The labels of a fine-tuned head, and where they come from: the label list of the original's task class (the
 * order of its outputs), the user's list, or transformers' unnamed {@code LABEL_i} when neither exists (a tagging
 * task keeps its labels in {@code <task>_label_mapping.pkl}, beside the training data, not in the checkpoint).
 * Regression has one output and no labels ({@code problem_type} {@code regression}); question answering has
 * transformers' default two (start, end).
 */
final class TaskLabels {
    private TaskLabels() {}

    static ModelLayout apply(ModelLayout layout, TaskHead head, TaskType type, Optional<List<String>> given, Path source) {
        String kernel = head.scope() + "dense/kernel";
        ConfigProvenance provenance = layout.provenance();
        ElectraConfig config = layout.config();
        Optional<OriginalTasks.Task> original = head.original();
        if (type == TaskType.QUESTION_ANSWERING) {
            if (given.isPresent()) {
                throw new UnsupportedInputException(source, "task " + head.name() + " is question answering (start and "
                        + "end logits), which has no labels to name: leave out --labels");
            }
            return layout;
        }
        long outputs = head.outputs();
        ConfigSource fromKernel = ConfigSource.tensor(kernel + " " + Arrays.toString(head.variables().get("dense/kernel")));
        provenance = provenance.with(new ConfigValue("num_labels", (int) outputs, List.of(fromKernel)));
        if (type == TaskType.REGRESSION) {
            if (given.isPresent()) {
                throw new UnsupportedInputException(source, "task " + head.name() + " is a regression task (one "
                        + "output), which has no labels to name: leave out --labels");
            }
            if (outputs != 1) {
                throw new UnsupportedInputException(source, "task " + head.name() + " is a regression task but " + kernel
                        + " has " + outputs + " outputs, not 1");
            }
            ConfigSource why = original.isPresent() ? ConfigSource.task(original.get().definedBy() + " (RegressionTask)")
                    : ConfigSource.option("--task-type regression");
            provenance = provenance.with(new ConfigValue("problem_type", "regression", List.of(why)));
            return layout.withConfig(config.withLabels(ElectraConfig.unnamedLabels(1), "regression"), provenance);
        }
        if (type == TaskType.CLASSIFICATION && outputs < 2) {
            throw new UnsupportedInputException(source, "task " + head.name() + "'s head " + kernel + " has one output: "
                    + "a regression head, not a classification one (--task-type regression)");
        }
        List<String> labels;
        ConfigSource why;
        if (given.isPresent()) {
            labels = given.get();
            why = ConfigSource.option("--labels");
        } else if (original.isPresent() && !original.get().labels().isEmpty()) {
            labels = original.get().labels();
            why = ConfigSource.task(original.get().definedBy());
        } else {
            labels = ElectraConfig.unnamedLabels((int) outputs);
            why = ConfigSource.rule("transformers' names LABEL_0.." + "LABEL_" + (outputs - 1) + (type == TaskType.TAGGING
                    ? "; google-research/electra keeps the tag names in " + head.name() + "_label_mapping.pkl" : "")
                    + "; pass --labels");
        }
        if (labels.size() != outputs) {
            throw new UnsupportedInputException(source, (why.kind() == ConfigSource.Kind.OPTION ? "--labels gives "
                    : original.orElseThrow().definedBy() + " has ") + labels.size() + " labels but " + kernel + " "
                    + Arrays.toString(head.variables().get("dense/kernel")) + " has " + outputs + " outputs");
        }
        provenance = provenance.with(new ConfigValue("id2label", new ArrayList<>(labels), List.of(why)));
        return layout.withConfig(config.withLabels(labels, null), provenance);
    }
}
