package io.electraconvert.verify.model;

import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.verify.kernels.Activation;
import io.electraconvert.verify.kernels.Attention;
import io.electraconvert.verify.kernels.MatMulKernel;

/**
 * One {@code ElectraLayer} (post-LayerNorm): {@code a = LN(attention(x)·Woᵀ + bo + x)},
 * {@code y = LN(act(a·Wiᵀ + bi)·Wᵀ + b + a)}.
 */
final class EncoderLayer {
    private final ElectraConfig config;
    private final MatMulKernel kernel;
    private final Linear queryKeyValue; // the three H→H projections fused into one H→3H product
    private final Linear attentionOutput;
    private final LayerNormWeights attentionNorm;
    private final Linear intermediate;
    private final Activation activation;
    private final Linear output;
    private final LayerNormWeights outputNorm;

    EncoderLayer(ElectraConfig config, ElectraWeights weights, int index, MatMulKernel kernel) {
        int h = config.hiddenSize();
        int in = config.intermediateSize();
        float eps = (float) config.layerNormEps();
        String prefix = "encoder.layer." + index + ".";
        this.config = config;
        this.kernel = kernel;
        this.queryKeyValue = fusedQueryKeyValue(weights, prefix + "attention.self.", h, kernel);
        this.attentionOutput = Linear.body(weights, prefix + "attention.output.dense", h, h, kernel);
        this.attentionNorm = LayerNormWeights.body(weights, prefix + "attention.output.LayerNorm", eps);
        this.intermediate = Linear.body(weights, prefix + "intermediate.dense", in, h, kernel);
        this.activation = Activation.forName(config.hiddenAct());
        this.output = Linear.body(weights, prefix + "output.dense", h, in, kernel);
        this.outputNorm = LayerNormWeights.body(weights, prefix + "output.LayerNorm", eps);
    }

    private static Linear fusedQueryKeyValue(ElectraWeights weights, String prefix, int h, MatMulKernel kernel) {
        float[] weight = new float[3 * h * h];
        float[] bias = new float[3 * h];
        String[] parts = {"query", "key", "value"};
        for (int p = 0; p < 3; p++) {
            System.arraycopy(weights.body(prefix + parts[p] + ".weight"), 0, weight, p * h * h, h * h);
            System.arraycopy(weights.body(prefix + parts[p] + ".bias"), 0, bias, p * h, h);
        }
        return new Linear(weight, bias, 3 * h, h, kernel);
    }

    /** Maps rows {@code [sequences·seq, H]} to the layer output of the same shape. */
    float[] apply(float[] x, int sequences, int seq, int[] attentionMask) {
        int rows = sequences * seq;
        float[] qkv = queryKeyValue.apply(x, rows);
        float[] context = Attention.apply(qkv, sequences, seq, config.numAttentionHeads(), config.hiddenSize() / config.numAttentionHeads(),
                attentionMask, kernel);
        float[] attended = attentionOutput.apply(context, rows);
        addInPlace(attended, x);
        attentionNorm.applyInPlace(attended, rows, kernel.rowKernels());
        float[] inner = intermediate.apply(attended, rows, activation);
        float[] y = output.apply(inner, rows);
        addInPlace(y, attended);
        outputNorm.applyInPlace(y, rows, kernel.rowKernels());
        return y;
    }

    private static void addInPlace(float[] target, float[] residual) {
        for (int i = 0; i < target.length; i++) {
            target[i] += residual[i];
        }
    }
}
