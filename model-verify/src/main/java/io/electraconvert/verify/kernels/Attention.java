package io.electraconvert.verify.kernels;

import java.util.Arrays;

/**
 * Bidirectional multi-head scaled dot-product attention with a key padding mask, one task per (sequence, head):
 * {@code softmax(q·kᵀ·d^-½ + mask)·v}, where a masked key adds float32's lowest value as transformers does. Queries
 * and values are read where the fused QKV projection left them; only a head's keys are transposed (into per-thread
 * scratch) so that each row of scores is contiguous.
 */
public final class Attention {
    private Attention() {}

    /** What transformers adds to the score of a padded key: {@code torch.finfo(float32).min}. */
    public static final float MASKED = -Float.MAX_VALUE;

    /** Per thread: the transposed keys, the scores, and for heads of a width the kernel cannot take, V and context. */
    private static final ThreadScratch SCRATCH = new ThreadScratch();

    /**
     * @param qkv rows {@code [batch·seq, 3·hidden]}: query, key and value projections side by side
     * @param attentionMask {@code [batch·seq]}, 1 for a real token, 0 for padding
     * @return the context {@code [batch·seq, hidden]}, heads merged back in order
     */
    public static float[] apply(float[] qkv, int batch, int seq, int heads, int headSize, int[] attentionMask,
            MatMulKernel kernel) {
        return apply(qkv, batch, seq, heads, headSize, attentionMask, MASKED, kernel);
    }

    /**
     * As {@link #apply(float[], int, int, int, int, int[], MatMulKernel)}, a padded key's score lowered by
     * {@code masked} instead (google-research/electra adds {@code -10000}).
     */
    public static float[] apply(float[] qkv, int batch, int seq, int heads, int headSize, int[] attentionMask,
            float masked, MatMulKernel kernel) {
        int hidden = heads * headSize;
        int qkvStride = 3 * hidden;
        float[] context = new float[batch * seq * hidden];
        float scale = (float) (1 / Math.sqrt(headSize));
        RowKernels rowKernels = kernel.rowKernels();
        // Products are padded to the kernel's width. Padded keys (zero, after the real ones) get -∞ in the additive
        // mask: probability exactly 0 even when every real key is masked, so rows are softmaxed whole.
        int keysWidth = roundUp(seq, kernel.rowMajorWidth());
        int headWidth = roundUp(headSize, kernel.rowMajorWidth());
        float[] mask = new float[batch * keysWidth];
        for (int s = 0; s < batch; s++) {
            for (int j = 0; j < keysWidth; j++) {
                mask[s * keysWidth + j] = j >= seq ? Float.NEGATIVE_INFINITY
                        : attentionMask[s * seq + j] == 0 ? masked : 0f;
            }
        }
        int keysSize = headSize * keysWidth;
        int scoresSize = seq * keysWidth;
        int paddedSize = headWidth == headSize ? 0 : seq * headWidth;
        Parallel.forEach(batch * heads, task -> {
            int firstRow = (task / heads) * seq;
            int column = (task % heads) * headSize;
            float[] scratch = SCRATCH.get(keysSize + scoresSize + 2 * paddedSize);
            for (int j = 0; j < seq; j++) {
                int key = (firstRow + j) * qkvStride + hidden + column;
                for (int d = 0; d < headSize; d++) {
                    scratch[d * keysWidth + j] = qkv[key + d];
                }
            }
            for (int d = 0; d < headSize; d++) {
                Arrays.fill(scratch, d * keysWidth + seq, (d + 1) * keysWidth, 0f);
            }
            StridedMatrix scores = new StridedMatrix(scratch, keysSize, keysWidth);
            kernel.multiplyRowMajor(new StridedMatrix(qkv, firstRow * qkvStride + column, qkvStride),
                    new StridedMatrix(scratch, 0, keysWidth), scores, seq, headSize, keysWidth);
            for (int i = 0; i < seq; i++) {
                rowKernels.softmax(scratch, keysSize + i * keysWidth, keysWidth, scale, mask, (task / heads) * keysWidth);
            }
            StridedMatrix values = new StridedMatrix(qkv, firstRow * qkvStride + 2 * hidden + column, qkvStride);
            StridedMatrix out = new StridedMatrix(context, firstRow * hidden + column, hidden);
            if (paddedSize == 0) {
                kernel.multiplyRowMajor(scores, values, out, seq, seq, headSize);
            } else {
                StridedMatrix paddedValues = new StridedMatrix(scratch, keysSize + scoresSize, headWidth);
                StridedMatrix paddedOut = new StridedMatrix(scratch, keysSize + scoresSize + paddedSize, headWidth);
                copyRows(values, paddedValues, seq, headSize);
                kernel.multiplyRowMajor(scores, paddedValues, paddedOut, seq, seq, headWidth);
                copyRows(paddedOut, out, seq, headSize);
            }
        });
        return context;
    }

    private static int roundUp(int value, int multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }

    private static void copyRows(StridedMatrix from, StridedMatrix to, int rows, int columns) {
        for (int i = 0; i < rows; i++) {
            System.arraycopy(from.values(), from.offset() + i * from.stride(), to.values(), to.offset() + i * to.stride(),
                    columns);
        }
    }
}
