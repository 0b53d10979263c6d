package io.electraconvert.verify.kernels;

/**
 * The numerics of one instruction set. Mainly {@code C[M,N] = A[M,K] · B[K,N] + bias} with B pre-packed; float32
 * accumulation, fused multiply-add, k in order, so that every kernel gives every element the same rounding. Also
 * attention's products of operands read in place, and the row kernels that go with this instruction set.
 */
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

    /** What {@link #multiplyRowMajor}'s n must be a multiple of. */
    int rowMajorWidth();

    /**
     * Single-threaded {@code C[m,n] = A[m,depth] · B[depth,n]} (no bias) with all three read or written in place;
     * n is a multiple of {@link #rowMajorWidth}.
     */
    void multiplyRowMajor(StridedMatrix a, StridedMatrix b, StridedMatrix c, int m, int depth, int n);

    /** Activations, LayerNorm and softmax in the same instruction set. */
    RowKernels rowKernels();
}
