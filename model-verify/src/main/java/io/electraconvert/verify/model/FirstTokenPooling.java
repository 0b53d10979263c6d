package io.electraconvert.verify.model;

/** Takes each sequence's first ([CLS]) row, as {@code hidden[:, 0]} in transformers. */
final class FirstTokenPooling {
    private FirstTokenPooling() {}

    static float[] firstTokens(float[] hidden, int sequences, int seq, int width) {
        float[] pooled = new float[sequences * width];
        for (int s = 0; s < sequences; s++) {
            System.arraycopy(hidden, s * seq * width, pooled, s * width, width);
        }
        return pooled;
    }
}
