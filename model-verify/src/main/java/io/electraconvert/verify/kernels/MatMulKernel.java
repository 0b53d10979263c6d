package io.electraconvert.verify.kernels;

/** {@code C[M,N] = A[M,K] · B[K,N] + bias} with B pre-packed; float32 accumulation, fused multiply-add. */
public interface MatMulKernel {

    /** Floats per packed column panel this kernel expects. */
    int panelWidth();

    /** Single-threaded product into {@code c} (row-major {@code [m, N]}); {@code a} is row-major {@code [m, K]}. */
    void multiply(float[] a, int m, PackedMatrix b, float[] c);

    /** The same product split over the common ForkJoinPool. */
    void multiplyParallel(float[] a, int m, PackedMatrix b, float[] c);

    default PackedMatrix packLinear(float[] weight, float[] bias, int out, int in) {
        return PackedMatrix.ofLinear(weight, bias, out, in, panelWidth());
    }

    default PackedMatrix packRowMajor(float[] matrix, int rows, int columns) {
        return PackedMatrix.ofRowMajor(matrix, rows, columns, panelWidth());
    }
}
