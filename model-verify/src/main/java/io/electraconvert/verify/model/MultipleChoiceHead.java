package io.electraconvert.verify.model;

import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.error.BadInputException;
import io.electraconvert.verify.kernels.Activation;
import io.electraconvert.verify.kernels.MatMulKernel;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code ElectraForMultipleChoice}: {@code ElectraSequenceSummary} ("first" token, {@code summary} Linear H→H,
 * {@code summary_activation}) then {@code classifier} H→1, reshaped to {@code [B, choices]}.
 */
final class MultipleChoiceHead implements Head {
    private final Linear summary;
    private final Activation activation;
    private final Linear classifier;
    private final int hiddenSize;

    MultipleChoiceHead(ElectraConfig config, ElectraWeights weights, MatMulKernel kernel) {
        int h = config.hiddenSize();
        this.hiddenSize = h;
        this.summary = Linear.head(weights, "sequence_summary.summary", h, h, kernel);
        this.activation = Activation.forName(config.summary().activation());
        this.classifier = Linear.head(weights, "classifier", 1, h, kernel);
    }

    @Override
    public Map<String, Tensor> apply(float[] hidden, ModelInput input) {
        int[] shape = input.shape();
        if (shape.length != 3) {
            throw new BadInputException("input: multiple choice needs [B,C,T] input, got " + Arrays.toString(shape));
        }
        int sequences = input.sequences();
        float[] x = summary.apply(FirstTokenPooling.firstTokens(hidden, sequences, input.sequenceLength(), hiddenSize),
                sequences, activation);
        return Map.of("logits", new Tensor(new int[] {shape[0], shape[1]}, classifier.apply(x, sequences)));
    }
}
