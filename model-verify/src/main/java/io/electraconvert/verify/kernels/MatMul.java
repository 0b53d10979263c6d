package io.electraconvert.verify.kernels;

/**
 * Chooses the matmul kernel once per JVM: the Vector API kernel when the {@code jdk.incubator.vector} module is in
 * the boot layer and {@code -Delectra.vector=false} is not set, else the scalar kernel. The vector kernel is
 * reached only by reflection so that its class (which links against the incubator module) is never loaded
 * without it.
 */
public final class MatMul {
    private static final String VECTOR_KERNEL = "io.electraconvert.verify.kernels.VectorMatMulKernel";
    private static final MatMulKernel KERNEL = select();

    private MatMul() {}

    public static MatMulKernel kernel() {
        return KERNEL;
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
