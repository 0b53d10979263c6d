package io.electraconvert.verify.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Both packings hold B exactly, at each kernel's panel width: multiplying the identity by them gives B back, bit for bit. */
class PackedMatrixTest {
    @Test
    void aLinearWeightAndItsDenseKernelPackToTheSameMatrix() {
        for (MatMulKernel kernel : new MatMulKernel[] {new ScalarMatMulKernel(), new VectorMatMulKernel()}) {
            check(kernel);
        }
    }

    private static void check(MatMulKernel kernel) {
        // N not a multiple of the panel width, K not a multiple of the packing tile
        for (int[] size : new int[][] {{37, 21}, {16, 16}, {5, 40}, {64, 3}}) {
            int out = size[0];
            int in = size[1];
            Random random = new Random(out * 31L + in);
            float[] weight = new float[out * in]; // [out, in], as PyTorch stores a Linear weight
            for (int i = 0; i < weight.length; i++) {
                weight[i] = random.nextFloat() - 0.5f;
            }
            float[] transposed = new float[in * out]; // [in, out], as TensorFlow stores a dense kernel: B itself
            for (int n = 0; n < out; n++) {
                for (int k = 0; k < in; k++) {
                    transposed[k * out + n] = weight[n * in + k];
                }
            }
            float[] identity = new float[in * in];
            for (int k = 0; k < in; k++) {
                identity[k * in + k] = 1f;
            }
            float[] fromLinear = new float[in * out];
            kernel.multiply(identity, in, PackedMatrix.ofLinear(weight, null, out, in, kernel.panelWidth()), fromLinear);
            float[] fromDense = new float[in * out];
            kernel.multiply(identity, in, PackedMatrix.ofDenseKernel(transposed, null, in, out, kernel.panelWidth()),
                    fromDense);
            String where = kernel.getClass().getSimpleName() + " " + out + "x" + in;
            assertArrayEquals(transposed, fromLinear, where);
            assertArrayEquals(transposed, fromDense, where);
        }
    }
}
