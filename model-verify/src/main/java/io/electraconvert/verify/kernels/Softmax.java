package io.electraconvert.verify.kernels;

/** Numerically stable softmax of one row: subtract the max, exponentiate, normalise (sums in double). */
public final class Softmax {
    private Softmax() {}

    public static void applyInPlace(float[] x, int offset, int length) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = offset; i < offset + length; i++) {
            max = Math.max(max, x[i]);
        }
        double sum = 0;
        for (int i = offset; i < offset + length; i++) {
            double e = Math.exp((double) x[i] - max);
            x[i] = (float) e;
            sum += e;
        }
        double inverse = 1 / sum;
        for (int i = offset; i < offset + length; i++) {
            x[i] = (float) (x[i] * inverse);
        }
    }
}
