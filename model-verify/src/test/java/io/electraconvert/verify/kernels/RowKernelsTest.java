package io.electraconvert.verify.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The vector row kernels and attention against the scalar reference: the largest differences, with their bounds. */
class RowKernelsTest {
    private static final MatMulKernel SCALAR = new ScalarMatMulKernel();
    private static final MatMulKernel VECTOR = new VectorMatMulKernel();

    /**
     * Every float32 step of the formulas is the same; only erf, tanh and exp differ (float32 within 1 ulp against
     * double rounded once), so the results differ by at most about an ulp of max(1, |x|).
     */
    @ParameterizedTest
    @EnumSource(Activation.class)
    void activationsAgreeWithinAnUlp(Activation activation) {
        int n = 2_000_003; // not a multiple of the vector length: the tail, done by the scalar code, runs too
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = -12f + 24f * i / (n - 1);
        }
        float[] scalar = x.clone();
        float[] vector = x.clone();
        SCALAR.rowKernels().activate(activation, scalar, 0, n);
        VECTOR.rowKernels().activate(activation, vector, 1, n); // from 1: an unaligned start
        vector[0] = activation.apply(x[0]);
        double scaled = 0;
        double upToFour = 0;
        for (int i = 0; i < n; i++) {
            double diff = Math.abs(scalar[i] - vector[i]);
            scaled = Math.max(scaled, diff / Math.max(1, Math.abs(x[i])));
            if (Math.abs(x[i]) <= 4) {
                upToFour = Math.max(upToFour, diff);
            }
        }
        System.out.printf("%s: max |vector - scalar| / max(1, |x|) = %.3g, max |vector - scalar| for |x| <= 4 = %.3g%n",
                activation, scaled, upToFour);
        assertTrue(scaled <= 2.5e-7, activation + ": " + scaled);
        assertTrue(upToFour <= 1e-6, activation + ": " + upToFour);
    }

    /** Widths that are not whole vectors (20, 7) take the scalar reference. */
    @ParameterizedTest(name = "{0} columns, mean {1}, std {2}")
    @CsvSource({"768,0,1", "768,50,1", "256,-3,0.01", "32,0,1", "16,5,3", "20,1,2", "7,0,1"})
    void layerNormAgreesWithinTwoUlp(int cols, float mean, float std) {
        Random random = new Random(cols + 7L * (long) mean);
        int rows = 64;
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = mean + std * (float) random.nextGaussian();
        }
        float[] weight = new float[cols];
        float[] bias = new float[cols];
        for (int i = 0; i < cols; i++) {
            weight[i] = 0.5f + random.nextFloat();
            bias[i] = 0.1f * (float) random.nextGaussian();
        }
        float[] scalar = x.clone();
        float[] vector = x.clone();
        LayerNorm.applyInPlace(scalar, rows, cols, weight, bias, 1e-12f, SCALAR.rowKernels());
        LayerNorm.applyInPlace(vector, rows, cols, weight, bias, 1e-12f, VECTOR.rowKernels());
        // in ulps of max(1, |result|): results are O(1) by construction, and one near 0 keeps the absolute error of
        // the mean (about 1e-9 here) rather than a relative one
        double maxDiff = 0;
        double maxUlps = 0;
        for (int i = 0; i < x.length; i++) {
            double diff = Math.abs(scalar[i] - vector[i]);
            maxDiff = Math.max(maxDiff, diff);
            maxUlps = Math.max(maxUlps, diff / Math.ulp(Math.max(1f, Math.abs(scalar[i]))));
        }
        System.out.printf("layerNorm %d cols, mean %s, std %s: max |vector - scalar| %.3g (%.1f ulp)%n", cols, mean, std,
                maxDiff, maxUlps);
        assertTrue(maxUlps <= 2, "ulps " + maxUlps);
        assertTrue(maxDiff <= 1e-6, "diff " + maxDiff);
    }

    @Test
    void softmaxAgreesWithinOneEMinus7AndMasksExactly() {
        // whole vectors and not (those take the scalar reference); every third key masked, so length 1 has none left
        Random random = new Random(5);
        for (int length : new int[] {1, 7, 16, 33, 64, 128, 256, 300}) {
            float[] scores = new float[length + 3];
            float[] mask = new float[length + 2];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = 3 * (float) random.nextGaussian();
            }
            for (int i = 2; i < mask.length; i += 3) {
                mask[i] = Attention.MASKED;
            }
            float[] scalar = scores.clone();
            float[] vector = scores.clone();
            SCALAR.rowKernels().softmax(scalar, 3, length, 0.125f, mask, 2);
            VECTOR.rowKernels().softmax(vector, 3, length, 0.125f, mask, 2);
            double maxDiff = 0;
            double sum = 0;
            boolean anyKey = false;
            for (int i = 2; i < length + 2; i++) {
                anyKey |= mask[i] == 0;
            }
            for (int i = 3; i < length + 3; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(scalar[i] - vector[i]));
                sum += vector[i];
                // with every key masked all scores are equal and the row is uniform, as in transformers
                if (anyKey && mask[i - 1] == Attention.MASKED) {
                    assertEquals(0f, vector[i], "masked key " + i);
                    assertEquals(0f, scalar[i], "masked key " + i);
                }
            }
            for (int i = 0; i < 3; i++) {
                assertEquals(scores[i], vector[i], "outside the row");
            }
            System.out.printf("softmax length %d: max |vector - scalar| %.3g%n", length, maxDiff);
            assertTrue(maxDiff <= 1e-7, "length " + length + ": " + maxDiff);
            assertEquals(1, sum, 1e-6, "length " + length);
        }
    }

    /**
     * Padded and unpadded head widths and key counts, query rows in and past the kernel's 4-row tiles, padding in the
     * mask, and a last sequence with every key masked (then uniform over its real keys, as in transformers).
     */
    @ParameterizedTest(name = "batch {0}, seq {1}, heads {2} x {3}")
    @CsvSource({"2,7,4,8", "1,130,2,64", "2,128,3,64", "3,33,2,80"})
    void attentionAgreesWithinOneEMinus6(int batch, int seq, int heads, int headSize) {
        Random random = new Random(batch * 1000L + seq);
        int hidden = heads * headSize;
        float[] qkv = new float[batch * seq * 3 * hidden];
        for (int i = 0; i < qkv.length; i++) {
            qkv[i] = (float) random.nextGaussian();
        }
        int[] mask = new int[batch * seq];
        for (int s = 0; s < batch; s++) {
            for (int t = 0; t < seq; t++) {
                mask[s * seq + t] = t < seq - 2 * s && (s < batch - 1 || batch == 1) ? 1 : 0;
            }
        }
        float[] scalar = Attention.apply(qkv, batch, seq, heads, headSize, mask, SCALAR);
        float[] vector = Attention.apply(qkv, batch, seq, heads, headSize, mask, VECTOR);
        double maxDiff = 0;
        for (int i = 0; i < scalar.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(scalar[i] - vector[i]));
        }
        System.out.printf("attention %dx%d, %d heads of %d: max |vector - scalar| %.3g%n", batch, seq, heads, headSize,
                maxDiff);
        assertTrue(maxDiff <= 1e-6, "diff " + maxDiff);
    }
}
