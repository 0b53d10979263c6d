package io.electraconvert.verify.kernels;

import java.util.Arrays;

/** Portable kernel: one row at a time against one panel, accumulating in a small array. */
public final class ScalarMatMulKernel extends TiledMatMulKernel {
    private static final int PANEL_WIDTH = 16;
    private static final RowKernels ROW_KERNELS = new ScalarRowKernels();

    @Override
    public int panelWidth() {
        return PANEL_WIDTH;
    }

    @Override
    void multiplyBlock(float[] a, int rowStart, int rowEnd, PackedMatrix b, int panelStart, int panelEnd,
            float[] c) {
        for (int panel = panelStart; panel < panelEnd; panel++) {
            multiplyPanel(a, rowStart, rowEnd, b, panel, c);
        }
    }

    private static void multiplyPanel(float[] a, int rowStart, int rowEnd, PackedMatrix b, int panel, float[] c) {
        int depth = b.rows();
        int n = b.columns();
        int w = PANEL_WIDTH;
        int col0 = panel * w;
        int width = Math.min(w, n - col0);
        float[] panels = b.panels();
        int panelBase = panel * depth * w;
        float[] acc = new float[w];
        for (int row = rowStart; row < rowEnd; row++) {
            System.arraycopy(b.paddedBias(), col0, acc, 0, w);
            int aBase = row * depth;
            for (int k = 0; k < depth; k++) {
                float ak = a[aBase + k];
                int bBase = panelBase + k * w;
                for (int j = 0; j < w; j++) {
                    acc[j] = Math.fma(ak, panels[bBase + j], acc[j]);
                }
            }
            System.arraycopy(acc, 0, c, row * n + col0, width);
        }
    }

    @Override
    public int rowMajorWidth() {
        return 1;
    }

    @Override
    public void multiplyRowMajor(StridedMatrix a, StridedMatrix b, StridedMatrix c, int m, int depth, int n) {
        float[] av = a.values();
        float[] bv = b.values();
        float[] cv = c.values();
        for (int i = 0; i < m; i++) {
            int cRow = c.offset() + i * c.stride();
            Arrays.fill(cv, cRow, cRow + n, 0f);
            for (int k = 0; k < depth; k++) {
                float aik = av[a.offset() + i * a.stride() + k];
                int bRow = b.offset() + k * b.stride();
                for (int j = 0; j < n; j++) {
                    cv[cRow + j] = Math.fma(aik, bv[bRow + j], cv[cRow + j]);
                }
            }
        }
    }

    @Override
    public RowKernels rowKernels() {
        return ROW_KERNELS;
    }
}
