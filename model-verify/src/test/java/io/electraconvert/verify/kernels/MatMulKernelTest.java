package io.electraconvert.verify.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Both kernels against a double-precision reference on shapes with row, column and depth tails. */
class MatMulKernelTest {
    private static final MatMulKernel[] KERNELS = {new ScalarMatMulKernel(), new VectorMatMulKernel()};

    @ParameterizedTest(name = "[{0},{1}]·[{1},{2}]")
    @CsvSource({"1,1,1", "3,5,7", "4,16,48", "5,17,49", "7,33,95", "13,64,100", "64,31,143", "67,129,97", "130,768,50",
        "9,40,1000"})
    void linearProductMatchesReference(int m, int k, int n) {
        Random random = new Random(31L * m + 7L * k + n);
        float[] a = gaussian(random, m * k);
        float[] weight = gaussian(random, n * k);
        float[] bias = gaussian(random, n);
        double[] expected = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = bias[j];
                for (int p = 0; p < k; p++) {
                    sum += (double) a[i * k + p] * weight[j * k + p];
                }
                expected[i * n + j] = sum;
            }
        }
        // float32 accumulation over k terms of unit variance: error grows like sqrt(k)·ulp
        double tolerance = 1e-6 * Math.sqrt(k) * 8;
        for (MatMulKernel kernel : KERNELS) {
            PackedMatrix packed = kernel.packLinear(weight, bias, n, k);
            float[] sequential = new float[m * n];
            float[] parallel = new float[m * n];
            kernel.multiply(a, m, packed, sequential);
            kernel.multiplyParallel(a, m, packed, parallel);
            assertTrue(maxAbsDiff(expected, sequential) <= tolerance, kernel + " sequential: " + maxAbsDiff(expected, sequential));
            assertEquals(0.0, maxAbsDiff(sequential, parallel), kernel + " parallel differs from sequential");
        }
    }

    /** Operands inside larger arrays, at offsets and with row strides wider than the rows, as attention has them. */
    @ParameterizedTest(name = "[{0},{1}]·[{1},{2}] in place")
    @CsvSource({"3,5,64", "9,128,64", "17,20,128", "130,64,192"})
    void rowMajorProductMatchesReference(int m, int k, int n) {
        Random random = new Random(m + 100L * k + 10_000L * n);
        StridedMatrix a = new StridedMatrix(gaussian(random, 5 + m * (k + 3)), 5, k + 3);
        StridedMatrix b = new StridedMatrix(gaussian(random, 7 + k * (n + 16)), 7, n + 16);
        double[] expected = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += (double) a.values()[a.offset() + i * a.stride() + p] * b.values()[b.offset() + p * b.stride() + j];
                }
                expected[i * n + j] = sum;
            }
        }
        float[][] results = new float[KERNELS.length][];
        for (int v = 0; v < KERNELS.length; v++) {
            // a border of NaN around C: a write outside [m, n] shows up
            float[] c = new float[3 + m * (n + 32) + 32];
            java.util.Arrays.fill(c, Float.NaN);
            KERNELS[v].multiplyRowMajor(a, b, new StridedMatrix(c, 3, n + 32), m, k, n);
            float[] dense = new float[m * n];
            for (int i = 0; i < m; i++) {
                System.arraycopy(c, 3 + i * (n + 32), dense, i * n, n);
                for (int j = n; j < n + 32 && 3 + i * (n + 32) + j < c.length; j++) {
                    assertTrue(Float.isNaN(c[3 + i * (n + 32) + j]), KERNELS[v] + " wrote outside row " + i);
                }
            }
            assertTrue(maxAbsDiff(expected, dense) <= 1e-6 * Math.sqrt(k) * 8, KERNELS[v] + ": " + maxAbsDiff(expected, dense));
            results[v] = dense;
        }
        // the same fma sequence per element in every kernel
        assertEquals(0.0, maxAbsDiff(results[0], results[1]), "scalar and vector kernels differ");
    }

    private static float[] gaussian(Random random, int length) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private static double maxAbsDiff(double[] expected, float[] actual) {
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual[i]));
        }
        return max;
    }

    private static double maxAbsDiff(float[] expected, float[] actual) {
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual[i]));
        }
        return max;
    }
}
