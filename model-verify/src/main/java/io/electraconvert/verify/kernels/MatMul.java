package io.electraconvert.verify.kernels;

/**
 * Chooses the matmul kernel: the Vector API kernel when the {@code jdk.incubator.vector} module is in the boot
 * layer and {@code -Delectra.vector=false} is not set, else the scalar kernel; and for a model narrower than
 * {@link #VECTOR_MIN_HIDDEN}, the scalar kernel unless {@code -Delectra.vector=true} asks for the vector one. The
 * vector kernel is reached only by reflection so that its class (which links against the incubator module) is never
 * loaded without it.
 */
public final class MatMul {
    private static final String VECTOR_KERNEL = "io.electraconvert.verify.kernels.VectorMatMulKernel";
    private static final MatMulKernel KERNEL = select();

    /**
     * The narrowest model the vector kernel runs by default. The Vector API runs interpreted, and far slower than
     * scalar code, until C2 has compiled its intrinsics: ~0.25 s of a command's wall time on the 2-core machine of
     * docs/benchmarks.md, more than the whole forward pass of a test-sized model (hidden 32: verify of
     * testdata/checkpoints/small in ~0.3 s scalar, ~0.55 s vector). Every released ELECTRA is at least 256 wide.
     */
    public static final int VECTOR_MIN_HIDDEN = 128;

    private MatMul() {}

    /** The fastest kernel this JVM has, whatever the model. */
    public static MatMulKernel kernel() {
        return KERNEL;
    }

    /** The kernel for a model {@code hiddenSize} wide (see {@link #VECTOR_MIN_HIDDEN}). */
    public static MatMulKernel kernelFor(int hiddenSize) {
        boolean asked = "true".equalsIgnoreCase(System.getProperty("electra.vector"));
        return hiddenSize >= VECTOR_MIN_HIDDEN || asked ? KERNEL : Scalar.KERNEL;
    }

    /** {@code vector} or {@code scalar}, as reports name them. */
    public static String name(MatMulKernel kernel) {
        return kernel instanceof ScalarMatMulKernel ? "scalar" : "vector";
    }

    private static final class Scalar {
        static final MatMulKernel KERNEL = new ScalarMatMulKernel();
    }

    /** Whether the Vector API can be used in this JVM (module present and not disabled). */
    public static boolean vectorAvailable() {
        return !"false".equalsIgnoreCase(System.getProperty("electra.vector"))
                && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    private static MatMulKernel select() {
        if (!vectorAvailable()) {
            return new ScalarMatMulKernel();
        }
        try {
            return (MatMulKernel) Class.forName(VECTOR_KERNEL).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return new ScalarMatMulKernel();
        }
    }
}
