package io.electraconvert.verify.model;

import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.verify.kernels.MatMulKernel;
import java.util.Map;

/** {@code ElectraForTokenClassification}: {@code classifier(h)} for every token, {@code [B, T, num_labels]}. */
final class TokenClassificationHead implements Head {
    private final Linear classifier;

    TokenClassificationHead(ElectraConfig config, ElectraWeights weights, MatMulKernel kernel) {
        this.classifier = Linear.head(weights, "classifier", config.numLabels(), config.hiddenSize(), kernel);
    }

    @Override
    public Map<String, Tensor> apply(float[] hidden, ModelInput input) {
        int[] shape = {input.shape()[0], input.sequenceLength(), classifier.outFeatures()};
        return Map.of("logits", new Tensor(shape, classifier.apply(hidden, input.inputIds().length)));
    }
}
