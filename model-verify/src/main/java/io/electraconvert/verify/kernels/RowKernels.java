package io.electraconvert.verify.kernels;

/**
 * The element- and row-wise numerics of the forward pass in one instruction set, as {@link MatMulKernel#rowKernels}
 * pairs them with a matmul kernel. Callers split the work into tasks; these run single-threaded.
 */
public interface RowKernels {

    /** {@code values[from, to)} replaced by the activation of each. */
    void activate(Activation activation, float[] values, int from, int to);

    /** One row {@code x[offset, offset + cols)} normalised in place (see {@link LayerNorm}). */
    void layerNorm(float[] x, int offset, int cols, float[] weight, float[] bias, float eps);

    /**
     * {@code x[offset + i] = softmax over i < length of (x[offset + i]·scale + mask[maskOffset + i])}, with the
     * maximum subtracted before exponentiating.
     */
    void softmax(float[] x, int offset, int length, float scale, float[] mask, int maskOffset);
}
