package io.electraconvert.verify.model;

import io.electraconvert.verify.kernels.LayerNorm;
import io.electraconvert.verify.kernels.RowKernels;

/** The parameters of one {@code nn.LayerNorm} over the last dimension. */
record LayerNormWeights(float[] weight, float[] bias, float eps) {

    static LayerNormWeights backbone(ElectraWeights weights, String module, int width, float eps) {
        return new LayerNormWeights(weights.backbone(module + ".weight", width), weights.backbone(module + ".bias", width),
                eps);
    }

    static LayerNormWeights head(ElectraWeights weights, String module, int width, float eps) {
        return new LayerNormWeights(weights.head(module + ".weight", width), weights.head(module + ".bias", width), eps);
    }

    void applyInPlace(float[] x, int rows, RowKernels kernels) {
        LayerNorm.applyInPlace(x, rows, weight.length, weight, bias, eps, kernels);
    }
}
