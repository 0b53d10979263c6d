package io.electraconvert.verify.kernels;

import io.electraconvert.error.BadInputException;


/**
 * The right-hand operand B of {@code C[M,N] = A[M,K] · B + bias}, packed once into column panels of
 * {@code panelWidth} floats: panel p holds, for each k, the values B[k, p·w .. p·w+w) contiguously, zero-padded
 * past N. The micro-kernel then streams one panel with unit stride while the same A rows stay in registers.
 */
public final class PackedMatrix {
    private final int rows; // K
    private final int columns; // N
    private final int panelWidth;
    private final float[] panels; // [panelCount][K][panelWidth]
    private final float[] bias; // [panelCount * panelWidth], zero-padded; all zero when there is no bias

    private PackedMatrix(int rows, int columns, int panelWidth, float[] panels, float[] bias) {
        this.rows = rows;
        this.columns = columns;
        this.panelWidth = panelWidth;
        this.panels = panels;
        this.bias = bias;
    }

    /** Packs a PyTorch Linear weight {@code [out=N, in=K]} (B is its transpose) with an optional bias {@code [N]}. */
    public static PackedMatrix ofLinear(float[] weight, float[] bias, int out, int in, int panelWidth) {
        requireLength(weight, (long) out * in, "weight");
        PackedMatrix packed = allocate(in, out, panelWidth, bias);
        int w = panelWidth;
        for (int n = 0; n < out; n++) {
            int panelBase = (n / w) * in * w + n % w;
            int rowBase = n * in;
            for (int k = 0; k < in; k++) {
                packed.panels[panelBase + k * w] = weight[rowBase + k];
            }
        }
        return packed;
    }

    /**
     * Packs a TensorFlow dense kernel {@code [in=K, out=N]}, which is B itself in row-major order, with an optional
     * bias {@code [N]}: the same panels as {@link #ofLinear} of its transpose.
     */
    public static PackedMatrix ofDenseKernel(float[] kernel, float[] bias, int in, int out, int panelWidth) {
        requireLength(kernel, (long) in * out, "kernel");
        PackedMatrix packed = allocate(in, out, panelWidth, bias);
        int w = panelWidth;
        for (int n0 = 0, p = 0; n0 < out; n0 += w, p++) {
            int width = Math.min(w, out - n0);
            for (int k = 0; k < in; k++) {
                System.arraycopy(kernel, k * out + n0, packed.panels, (p * in + k) * w, width);
            }
        }
        return packed;
    }

    private static PackedMatrix allocate(int rows, int columns, int panelWidth, float[] bias) {
        int panelCount = (columns + panelWidth - 1) / panelWidth;
        float[] paddedBias = new float[panelCount * panelWidth];
        if (bias != null) {
            requireLength(bias, columns, "bias");
            System.arraycopy(bias, 0, paddedBias, 0, columns);
        }
        float[] panels = new float[Math.multiplyExact(Math.multiplyExact(panelCount, rows), panelWidth)];
        return new PackedMatrix(rows, columns, panelWidth, panels, paddedBias);
    }

    private static void requireLength(float[] values, long expected, String what) {
        if (values.length != expected) {
            throw new BadInputException("packing " + what + ": expected " + expected + " values, got " + values.length);
        }
    }

    public int rows() {
        return rows;
    }

    public int columns() {
        return columns;
    }

    public int panelWidth() {
        return panelWidth;
    }

    public int panelCount() {
        return bias.length / panelWidth;
    }

    float[] panels() {
        return panels;
    }

    float[] paddedBias() {
        return bias;
    }
}
