package io.electraconvert.verify.model;

import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.verify.kernels.Activation;
import io.electraconvert.verify.kernels.MatMulKernel;
import java.util.Map;

/** {@code ElectraDiscriminatorPredictions}: {@code act(h·Wdᵀ + bd)·Wpᵀ + bp}, one logit per token, act = hidden_act. */
final class DiscriminatorHead implements Head {
    private final Linear dense;
    private final Activation activation;
    private final Linear prediction;

    DiscriminatorHead(ElectraConfig config, ElectraWeights weights, MatMulKernel kernel) {
        int h = config.hiddenSize();
        this.dense = Linear.head(weights, "discriminator_predictions.dense", h, h, kernel);
        this.activation = Activation.forName(config.hiddenAct());
        this.prediction = Linear.head(weights, "discriminator_predictions.dense_prediction", 1, h, kernel);
    }

    @Override
    public Map<String, Tensor> apply(float[] hidden, ModelInput input) {
        int rows = input.inputIds().length;
        float[] x = dense.apply(hidden, rows, activation);
        return Map.of("logits", new Tensor(input.shape(), prediction.apply(x, rows)));
    }
}
