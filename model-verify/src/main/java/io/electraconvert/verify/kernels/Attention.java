package io.electraconvert.verify.kernels;

/**
 * Bidirectional multi-head scaled dot-product attention with a key padding mask, one task per (sequence, head):
 * {@code softmax(q·kᵀ·d^-½ + mask)·v}, where a masked key adds float32's lowest value as transformers does.
 */
public final class Attention {
    private Attention() {}

    /** What transformers adds to the score of a padded key: {@code torch.finfo(float32).min}. */
    public static final float MASKED = -Float.MAX_VALUE;

    /**
     * @param qkv rows {@code [batch·seq, 3·hidden]}: query, key and value projections side by side
     * @param attentionMask {@code [batch·seq]}, 1 for a real token, 0 for padding
     * @return the context {@code [batch·seq, hidden]}, heads merged back in order
     */
    public static float[] apply(float[] qkv, int batch, int seq, int heads, int headSize, int[] attentionMask,
            MatMulKernel kernel) {
        int hidden = heads * headSize;
        float[] context = new float[batch * seq * hidden];
        float scale = (float) (1 / Math.sqrt(headSize));
        Parallel.forEach(batch * heads, task -> {
            int sequence = task / heads;
            int head = task % heads;
            int firstRow = sequence * seq;
            float[] q = slice(qkv, firstRow, seq, 3 * hidden, head * headSize, headSize);
            float[] k = slice(qkv, firstRow, seq, 3 * hidden, hidden + head * headSize, headSize);
            float[] v = slice(qkv, firstRow, seq, 3 * hidden, 2 * hidden + head * headSize, headSize);
            float[] scores = new float[seq * seq];
            kernel.multiply(q, seq, kernel.packLinear(k, null, seq, headSize), scores);
            for (int i = 0; i < seq; i++) {
                int rowOffset = i * seq;
                for (int j = 0; j < seq; j++) {
                    float mask = attentionMask[firstRow + j] == 0 ? MASKED : 0f;
                    scores[rowOffset + j] = scores[rowOffset + j] * scale + mask;
                }
                Softmax.applyInPlace(scores, rowOffset, seq);
            }
            float[] headContext = new float[seq * headSize];
            kernel.multiply(scores, seq, kernel.packRowMajor(v, seq, headSize), headContext);
            for (int i = 0; i < seq; i++) {
                System.arraycopy(headContext, i * headSize, context, (firstRow + i) * hidden + head * headSize, headSize);
            }
        });
        return context;
    }

    private static float[] slice(float[] rows, int firstRow, int rowCount, int rowLength, int column, int width) {
        float[] out = new float[rowCount * width];
        for (int i = 0; i < rowCount; i++) {
            System.arraycopy(rows, (firstRow + i) * rowLength + column, out, i * width, width);
        }
        return out;
    }
}
