package io.electraconvert.hf.electra;

import io.electraconvert.hf.schema.HeadKind;
import java.util.Arrays;
import java.util.Locale;

/** What a fine-tuned head of google-research/electra's {@code run_finetuning.py} computes, and the HF class it becomes. */
public enum TaskType {
    /** {@code ClassificationTask}: {@code dense} [H, labels] on the first token's vector. */
    CLASSIFICATION(HeadKind.SEQUENCE_CLASSIFICATION),
    /** {@code RegressionTask}: {@code dense} [H, 1] on the first token's vector. */
    REGRESSION(HeadKind.SEQUENCE_CLASSIFICATION),
    /** {@code TaggingTask}: {@code dense} [H, tags] on every token. */
    TAGGING(HeadKind.TOKEN_CLASSIFICATION),
    /** {@code QATask}: start and end logits per token. */
    QUESTION_ANSWERING(HeadKind.QUESTION_ANSWERING);

    private final HeadKind head;

    TaskType(HeadKind head) {
        this.head = head;
    }

    public HeadKind head() {
        return head;
    }

    /** {@code classification}, {@code regression}, {@code tagging}, {@code question-answering}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The type a {@code --task-type} value names; an unknown one is an {@link IllegalArgumentException}. */
    public static TaskType parse(String name) {
        return Arrays.stream(values()).filter(t -> t.cliName().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("expected classification, regression, tagging or question-answering, got '"
                        + name + "'"));
    }
}
