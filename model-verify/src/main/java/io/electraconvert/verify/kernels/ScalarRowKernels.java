package io.electraconvert.verify.kernels;

/** The portable row kernels: the reference formulas of {@link Activation}, {@link LayerNorm} and {@link Softmax}. */
final class ScalarRowKernels implements RowKernels {

    @Override
    public void activate(Activation activation, float[] values, int from, int to) {
        for (int i = from; i < to; i++) {
            values[i] = activation.apply(values[i]);
        }
    }

    @Override
    public void layerNorm(float[] x, int offset, int cols, float[] weight, float[] bias, float eps) {
        LayerNorm.normalizeRow(x, offset, cols, weight, bias, eps);
    }

    @Override
    public void softmax(float[] x, int offset, int length, float scale, float[] mask, int maskOffset) {
        Softmax.applyInPlace(x, offset, length, scale, mask, maskOffset);
    }
}
