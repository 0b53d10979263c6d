package io.electraconvert.verify.model;

import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.verify.kernels.Activation;
import io.electraconvert.verify.kernels.MatMulKernel;
import java.util.Map;

/** {@code ElectraClassificationHead}: {@code out_proj(gelu(dense(h[:, 0])))}; exact gelu, as the ELECTRA authors used. */
final class SequenceClassificationHead implements Head {
    private final Linear dense;
    private final Linear outProjection;
    private final int hiddenSize;

    SequenceClassificationHead(ElectraConfig config, ElectraWeights weights, MatMulKernel kernel) {
        int h = config.hiddenSize();
        this.hiddenSize = h;
        this.dense = Linear.head(weights, "classifier.dense", h, h, kernel);
        this.outProjection = Linear.head(weights, "classifier.out_proj", config.numLabels(), h, kernel);
    }

    @Override
    public Map<String, Tensor> apply(float[] hidden, ModelInput input) {
        int sequences = input.sequences();
        float[] x = dense.apply(FirstTokenPooling.firstTokens(hidden, sequences, input.sequenceLength(), hiddenSize),
                sequences, Activation.GELU_ERF);
        return Map.of("logits", new Tensor(new int[] {sequences, outProjection.outFeatures()},
                outProjection.apply(x, sequences)));
    }
}
