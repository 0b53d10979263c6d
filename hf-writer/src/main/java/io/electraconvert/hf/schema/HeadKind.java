package io.electraconvert.hf.schema;

import java.util.Arrays;
import java.util.Optional;

/** The transformers ELECTRA classes: what a converted model becomes and what a model folder holds. */
public enum HeadKind {
    /** {@code ElectraModel}: the body alone; its keys have no {@code electra.} prefix. */
    BODY("ElectraModel"),
    /** The discriminator: replaced-token detection, one logit per token. */
    PRETRAINING("ElectraForPreTraining"),
    /** The generator: masked-LM logits over the vocabulary, the output embeddings tied to the input ones. */
    MASKED_LM("ElectraForMaskedLM"),
    SEQUENCE_CLASSIFICATION("ElectraForSequenceClassification"),
    TOKEN_CLASSIFICATION("ElectraForTokenClassification"),
    QUESTION_ANSWERING("ElectraForQuestionAnswering"),
    MULTIPLE_CHOICE("ElectraForMultipleChoice");

    private final String architecture;

    HeadKind(String architecture) {
        this.architecture = architecture;
    }

    /** The class name, as in {@code config.json}'s {@code architectures}. */
    public String architecture() {
        return architecture;
    }

    /** Where the body's keys start: {@code electra.} under a head, nothing in a bare {@code ElectraModel}. */
    public String bodyPrefix() {
        return this == BODY ? "" : "electra.";
    }

    public static Optional<HeadKind> ofArchitecture(String architecture) {
        return Arrays.stream(values()).filter(h -> h.architecture.equals(architecture)).findFirst();
    }
}
