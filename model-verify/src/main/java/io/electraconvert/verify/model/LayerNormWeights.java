package io.electraconvert.verify.model;

import io.electraconvert.verify.kernels.LayerNorm;
import io.electraconvert.verify.kernels.RowKernels;

/** The parameters of one {@code nn.LayerNorm} over the last dimension. */
record LayerNormWeights(float[] weight, float[] bias, float eps) {

    static LayerNormWeights body(ElectraWeights weights, String module, float eps) {
        return new LayerNormWeights(weights.body(module + ".weight"), weights.body(module + ".bias"), eps);
    }

    static LayerNormWeights head(ElectraWeights weights, String module, float eps) {
        return new LayerNormWeights(weights.head(module + ".weight"), weights.head(module + ".bias"), eps);
    }

    void applyInPlace(float[] x, int rows, RowKernels kernels) {
        LayerNorm.applyInPlace(x, rows, weight.length, weight, bias, eps, kernels);
    }
}
