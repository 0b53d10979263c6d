package io.electraconvert.verify.original;

import io.electraconvert.error.UnsupportedInputException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where one network lives in a google-research/electra checkpoint, by the original's names: the scope of its
 * transformer ({@code build_transformer}'s {@code electra} or {@code generator}), of its embedding tables
 * ({@code electra/embeddings}, or the generator's own with {@code untied_generator_embeddings}), and of its head.
 *
 * @param name      what the user asked for: {@code discriminator}, {@code generator}, {@code body} or a task name
 * @param tower     e.g. {@code electra/}
 * @param embeddings e.g. {@code electra/embeddings/}
 * @param headScope e.g. {@code discriminator_predictions/} or {@code task_specific/mnli/}; empty for the body
 */
public record OriginalNetwork(String name, String tower, String embeddings, Head head, String headScope) {
    /** The heads google-research/electra puts on the transformer. */
    public enum Head {
        /** None: the body's hidden states only. */
        NONE,
        /** {@code run_pretraining._get_discriminator_output}: dense(H, act), dense_1 → one logit per token. */
        DISCRIMINATOR,
        /** {@code run_pretraining.get_token_logits} at every position: dense(E, act), LayerNorm, · embeddingsᵀ + bias. */
        MASKED_LM,
        /** {@code ClassificationTask}: dense on {@code sequence_output[:, 0]}, no activation. */
        CLASSIFICATION,
        /** {@code RegressionTask}: as classification with one output, squeezed. */
        REGRESSION,
        /** {@code TaggingTask}: dense on every token. */
        TAGGING,
        /** {@code QATask} without joint prediction: start {@code dense}, end {@code dense_1}, each squeezed. */
        SQUAD
    }

    /** {@code finetune/task_builder.get_task}'s task names, by the head each task class builds. */
    private static final Set<String> CLASSIFICATION_TASKS = Set.of("cola", "mrpc", "mnli", "sst", "rte", "qnli", "qqp");
    private static final Set<String> QA_TASKS = Set.of("squad", "squadv1", "newsqa", "naturalqs", "triviaqa", "searchqa");

    /**
     * The network {@code model} names ({@code discriminator}, {@code generator}, {@code body}), or the head of
     * fine-tuning task {@code task} (model {@code task} without one: the checkpoint's only task), checked to be in {@code checkpoint}. A task the original does not define is run
     * as {@code unknownTaskHead} (the head the converted folder says it is).
     */
    public static OriginalNetwork locate(OriginalCheckpoint checkpoint, String model, Optional<String> task,
            Head unknownTaskHead) {
        if (task.isEmpty() && model.equals("task")) {
            List<String> tasks = checkpoint.tasks();
            if (tasks.size() != 1) {
                throw new UnsupportedInputException(checkpoint.indexFile(), tasks.isEmpty()
                        ? "the checkpoint has no fine-tuned task head (no task_specific/<task>/dense/kernel)"
                        : "the checkpoint has the task heads " + String.join(", ", tasks) + ": name one with --task");
            }
            task = Optional.of(tasks.get(0));
        }
        if (task.isPresent()) {
            String t = task.get();
            String scope = "task_specific/" + t + "/";
            require(checkpoint, scope + "dense/kernel", "fine-tuning task '" + t + "'");
            Head head = t.equals("sts") ? Head.REGRESSION
                    : t.equals("chunk") ? Head.TAGGING
                    : CLASSIFICATION_TASKS.contains(t) ? Head.CLASSIFICATION
                    : QA_TASKS.contains(t) ? Head.SQUAD
                    : unknownTaskHead;
            if (head == Head.SQUAD && checkpoint.has(scope + "qa_hidden/kernel")) {
                throw new UnsupportedInputException(checkpoint.indexFile(), "task '" + t + "' was trained with "
                        + "joint_prediction, whose end logits no HF class computes; verify --model body instead");
            }
            return new OriginalNetwork(t, "electra/", "electra/embeddings/", head, scope);
        }
        return switch (model) {
            case "discriminator" -> {
                require(checkpoint, "discriminator_predictions/dense_1/kernel", "discriminator head");
                yield new OriginalNetwork(model, "electra/", "electra/embeddings/", Head.DISCRIMINATOR,
                        "discriminator_predictions/");
            }
            case "generator" -> {
                require(checkpoint, "generator_predictions/output_bias", "generator head");
                // an untied generator has its own transformer; untied_generator=false and the BERT objective use
                // the discriminator's (full-size) one
                boolean ownTower = checkpoint.has("generator/encoder/layer_0/attention/self/query/kernel");
                String embeddings = checkpoint.has("generator/embeddings/word_embeddings")
                        ? "generator/embeddings/" : "electra/embeddings/";
                yield new OriginalNetwork(model, ownTower ? "generator/" : "electra/", embeddings, Head.MASKED_LM,
                        "generator_predictions/");
            }
            case "body" -> new OriginalNetwork(model, "electra/", "electra/embeddings/", Head.NONE, "");
            default -> throw new IllegalArgumentException("unknown network " + model);
        };
    }

    private static void require(OriginalCheckpoint checkpoint, String variable, String what) {
        if (!checkpoint.has(variable)) {
            throw new UnsupportedInputException(checkpoint.indexFile(), "the checkpoint has no " + what + " (no variable '"
                    + variable + "')");
        }
    }
}
