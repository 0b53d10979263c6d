package io.electraconvert.verify.kernels;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import org.junit.jupiter.api.Test;

/** The warm-up's operands fit every kernel it calls (a mistake there would kill its thread silently in a check). */
class KernelWarmUpTest {
    @Test
    void runsToTheEndOnBothKernels() {
        assertDoesNotThrow(() -> KernelWarmUp.run(new VectorMatMulKernel()));
        assertDoesNotThrow(() -> KernelWarmUp.run(new ScalarMatMulKernel()));
    }
}
