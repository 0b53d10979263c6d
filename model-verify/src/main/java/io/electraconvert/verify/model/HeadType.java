package io.electraconvert.verify.model;

import io.electraconvert.error.BadInputException;
import java.util.Arrays;

/** The transformers ELECTRA classes this engine runs, by their {@code architectures} name. */
public enum HeadType {
    NONE("ElectraModel"),
    PRE_TRAINING("ElectraForPreTraining"),
    MASKED_LM("ElectraForMaskedLM"),
    SEQUENCE_CLASSIFICATION("ElectraForSequenceClassification"),
    TOKEN_CLASSIFICATION("ElectraForTokenClassification"),
    QUESTION_ANSWERING("ElectraForQuestionAnswering"),
    MULTIPLE_CHOICE("ElectraForMultipleChoice");

    private final String architecture;

    HeadType(String architecture) {
        this.architecture = architecture;
    }

    public String architecture() {
        return architecture;
    }

    public static HeadType forArchitecture(String architecture) {
        return Arrays.stream(values())
                .filter(type -> type.architecture.equals(architecture))
                .findFirst()
                .orElseThrow(() -> new BadInputException("unsupported architecture " + architecture));
    }
}
