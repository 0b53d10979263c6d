package io.electraconvert.verify.kernels;

/** Numerically stable softmax of one row: scale and mask, subtract the max, exponentiate, normalise (in double). */
final class Softmax {
    private Softmax() {}

    static void applyInPlace(float[] x, int offset, int length, float scale, float[] mask, int maskOffset) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < length; i++) {
            float v = x[offset + i] * scale + mask[maskOffset + i];
            x[offset + i] = v;
            max = Math.max(max, v);
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
