package io.electraconvert.verify.kernels;

/**
 * Run in a child JVM by {@link MatMulFallbackTest}: prints the selected kernel, its row kernels, one product's
 * result and gelu(1) through those row kernels.
 */
public final class KernelProbe {
    private KernelProbe() {}

    public static void main(String[] args) {
        MatMulKernel kernel = MatMul.kernel();
        float[] c = new float[1];
        kernel.multiply(new float[] {2f, 3f}, 1, kernel.packLinear(new float[] {4f, 5f}, new float[] {1f}, 1, 2), c);
        float[] gelu = {1f};
        kernel.rowKernels().activate(Activation.GELU_ERF, gelu, 0, 1);
        System.out.println(kernel.getClass().getSimpleName() + " " + kernel.rowKernels().getClass().getSimpleName() + " "
                + c[0] + " " + gelu[0]);
    }
}
