package io.electraconvert.verify.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class MatMulTest {

    @Test
    void selectsVectorKernelWhenIncubatorModuleIsPresent() {
        // surefire runs with --add-modules jdk.incubator.vector and without -Delectra.vector=false
        assertEquals(VectorMatMulKernel.class, MatMul.kernel().getClass());
    }

    @Test
    void propertyDisablesVectorKernel() {
        withProperty("false", () -> assertFalse(MatMul.vectorAvailable()));
    }

    @Test
    void aNarrowModelRunsTheScalarKernelUnlessTheVectorOneIsAskedFor() {
        assertEquals("scalar", MatMul.name(MatMul.kernelFor(MatMul.VECTOR_MIN_HIDDEN - 1)));
        assertEquals("vector", MatMul.name(MatMul.kernelFor(MatMul.VECTOR_MIN_HIDDEN)));
        assertEquals("vector", MatMul.name(MatMul.kernelFor(256))); // ELECTRA-small, the narrowest released
        withProperty("true", () -> assertEquals("vector", MatMul.name(MatMul.kernelFor(32))));
    }

    private static void withProperty(String value, Runnable check) {
        String previous = System.getProperty("electra.vector");
        System.setProperty("electra.vector", value);
        try {
            check.run();
        } finally {
            if (previous == null) {
                System.clearProperty("electra.vector");
            } else {
                System.setProperty("electra.vector", previous);
            }
        }
    }
}
