package io.electraconvert.verify.model;

import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.verify.kernels.Activation;
import io.electraconvert.verify.kernels.MatMulKernel;
import java.util.Map;

/**
 * {@code ElectraGeneratorPredictions} + {@code generator_lm_head}: {@code LN_E(gelu(h·Wgᵀ + bg))·Wᵀ + b} over the
 * vocabulary. The activation is always exact gelu (transformers ignores hidden_act here); W is the word-embedding
 * matrix unless the file stores its own {@code generator_lm_head.weight} (transformers v5 then unties).
 */
final class GeneratorHead implements Head {
    private static final String LM_HEAD_WEIGHT = "generator_lm_head.weight";

    private final Linear dense;
    private final LayerNormWeights norm;
    private final Linear lmHead;
    private final int vocabSize;
    private final MatMulKernel kernel;

    GeneratorHead(ElectraConfig config, ElectraWeights weights, float[] wordEmbeddings, MatMulKernel kernel) {
        int e = config.embeddingSize();
        int v = config.vocabSize();
        this.vocabSize = v;
        this.dense = Linear.head(weights, "generator_predictions.dense", e, config.hiddenSize(), kernel);
        this.norm = LayerNormWeights.head(weights, "generator_predictions.LayerNorm", (float) config.layerNormEps());
        float[] lmWeight = weights.has(LM_HEAD_WEIGHT) ? weights.head(LM_HEAD_WEIGHT) : wordEmbeddings;
        this.lmHead = new Linear(lmWeight, weights.head("generator_lm_head.bias"), v, e, kernel);
        this.kernel = kernel;
    }

    @Override
    public Map<String, Tensor> apply(float[] hidden, ModelInput input) {
        int rows = input.inputIds().length;
        float[] x = dense.apply(hidden, rows, Activation.GELU_ERF);
        norm.applyInPlace(x, rows, kernel.rowKernels());
        return Map.of("logits", new Tensor(new int[] {input.shape()[0], input.sequenceLength(), vocabSize},
                lmHead.apply(x, rows)));
    }
}
