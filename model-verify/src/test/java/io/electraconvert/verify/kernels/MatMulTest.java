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
        String previous = System.getProperty("electra.vector");
        System.setProperty("electra.vector", "false");
        try {
            assertFalse(MatMul.vectorAvailable());
        } finally {
            if (previous == null) {
                System.clearProperty("electra.vector");
            } else {
                System.setProperty("electra.vector", previous);
            }
        }
    }
}
