package io.electraconvert.hf.electra;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What to convert out of a checkpoint: one of its networks, the bare body, or the head of a fine-tuned task.
 * {@link ElectraCheckpointModel#require} turns a choice into a layout or a refusal that says what the checkpoint
 * holds instead.
 */
public sealed interface ModelChoice {
    /** The {@code --model} value that makes this choice. */
    String cliName();

    /** How messages name this choice: {@code discriminator}, {@code body}, {@code task mnli}, ... */
    String describe();

    /**
     * The choice a {@code --model} value names: {@code discriminator}, {@code generator}, {@code body}, or
     * {@code task} (the checkpoint's only task; {@link #task(String)} names one).
     */
    static ModelChoice parse(String cliName) {
        return switch (cliName) {
            case "body" -> body();
            case "task" -> task();
            case "discriminator", "generator" -> of(ElectraNetwork.parse(cliName));
            default -> throw new IllegalArgumentException("expected discriminator, generator, body or task, got '"
                    + cliName + "'");
        };
    }

    static ModelChoice of(ElectraNetwork network) {
        return new Network(network);
    }

    static ModelChoice body() {
        return new Body();
    }

    /** The only task of a fine-tuned checkpoint, with the original's task type and labels. */
    static Task task() {
        return new Task(Optional.empty(), Optional.empty(), Optional.empty());
    }

    static Task task(String name) {
        return new Task(Optional.of(name), Optional.empty(), Optional.empty());
    }

    /** The discriminator ({@code ElectraForPreTraining}) or generator ({@code ElectraForMaskedLM}) of pretraining. */
    record Network(ElectraNetwork network) implements ModelChoice {
        public Network {
            Objects.requireNonNull(network, "network");
        }

        @Override
        public String cliName() {
            return network.cliName();
        }

        @Override
        public String describe() {
            return network.cliName();
        }
    }

    /** The {@code electra/} body alone, as {@code ElectraModel}; every checkpoint with one has this choice. */
    record Body() implements ModelChoice {
        @Override
        public String cliName() {
            return "body";
        }

        @Override
        public String describe() {
            return "body";
        }
    }

    /**
     * A fine-tuned task's head.
     *
     * @param name   the task ({@code task_specific/<name>/}); empty: the checkpoint's only task
     * @param type   what the head computes, for a task google-research/electra does not define (its own tasks' types
     *               are known)
     * @param labels the label names in output order, winning over the task definition's
     */
    record Task(Optional<String> name, Optional<TaskType> type, Optional<List<String>> labels) implements ModelChoice {
        public Task {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            labels = labels.map(List::copyOf);
        }

        public Task withType(TaskType value) {
            return new Task(name, Optional.of(value), labels);
        }

        /** With these label names, which transformers needs non-empty and distinct (id2label/label2id). */
        public Task withLabels(List<String> value) {
            Set<String> seen = new HashSet<>();
            for (String label : value) {
                if (label.isBlank()) {
                    throw new IllegalArgumentException("has an empty label name: '" + String.join(",", value) + "'");
                }
                if (!seen.add(label)) {
                    throw new IllegalArgumentException("names '" + label + "' twice");
                }
            }
            return new Task(name, type, Optional.of(value));
        }

        @Override
        public String cliName() {
            return "task";
        }

        @Override
        public String describe() {
            return name.map(n -> "task " + n).orElse("task");
        }
    }
}
