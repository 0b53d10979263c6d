package io.electraconvert.verify.model;

import io.electraconvert.verify.kernels.Activation;
import io.electraconvert.verify.kernels.MatMulKernel;
import io.electraconvert.verify.kernels.PackedMatrix;

/** A PyTorch {@code nn.Linear}: {@code y = x·Wᵀ + b}, with W packed once at load for the matmul kernel. */
final class Linear {
    private final PackedMatrix packed;
    private final MatMulKernel kernel;

    Linear(float[] weight, float[] bias, int out, int in, MatMulKernel kernel) {
        this.packed = kernel.packLinear(weight, bias, out, in);
        this.kernel = kernel;
    }

    /** {@code <module>.weight [out,in]} and {@code <module>.bias [out]} of a head module. */
    static Linear head(ElectraWeights weights, String module, int out, int in, MatMulKernel kernel) {
        return new Linear(weights.head(module + ".weight"), weights.head(module + ".bias"), out, in, kernel);
    }

    /** {@code <module>.weight [out,in]} and {@code <module>.bias [out]} of a body module. */
    static Linear body(ElectraWeights weights, String module, int out, int in, MatMulKernel kernel) {
        return new Linear(weights.body(module + ".weight"), weights.body(module + ".bias"), out, in, kernel);
    }

    int outFeatures() {
        return packed.columns();
    }

    /** Applies the layer to {@code rows} row-major input rows. */
    float[] apply(float[] x, int rows) {
        float[] y = new float[rows * packed.columns()];
        kernel.multiplyParallel(x, rows, packed, y);
        return y;
    }

    /** {@code activation(x·Wᵀ + b)}, the activation in the kernel's instruction set. */
    float[] apply(float[] x, int rows, Activation activation) {
        float[] y = apply(x, rows);
        activation.applyInPlace(y, kernel.rowKernels());
        return y;
    }
}
