package io.electraconvert.verify.kernels;

/** {@code (x - mean) / sqrt(biased variance + eps) · weight + bias} over each row; statistics in double. */
public final class LayerNorm {
    private LayerNorm() {}

    private static final int ROWS_PER_TASK = 32;

    public static void applyInPlace(float[] x, int rows, int cols, float[] weight, float[] bias, float eps,
            RowKernels kernels) {
        int tasks = (rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        Parallel.forEach(Math.max(tasks, 1), task -> {
            int end = Math.min(rows, (task + 1) * ROWS_PER_TASK);
            for (int row = task * ROWS_PER_TASK; row < end; row++) {
                kernels.layerNorm(x, row * cols, cols, weight, bias, eps);
            }
        });
    }

    /** The reference for one row, all arithmetic in double. */
    static void normalizeRow(float[] x, int offset, int cols, float[] weight, float[] bias, float eps) {
        double sum = 0;
        for (int i = 0; i < cols; i++) {
            sum += x[offset + i];
        }
        double mean = sum / cols;
        double squares = 0;
        for (int i = 0; i < cols; i++) {
            double d = x[offset + i] - mean;
            squares += d * d;
        }
        double inverseStd = 1 / Math.sqrt(squares / cols + eps);
        for (int i = 0; i < cols; i++) {
            x[offset + i] = (float) ((x[offset + i] - mean) * inverseStd * weight[i] + bias[i]);
        }
    }
}
