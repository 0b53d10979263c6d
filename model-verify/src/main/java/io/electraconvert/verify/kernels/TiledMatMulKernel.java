package io.electraconvert.verify.kernels;

/**
 * Splits a product into tasks of (row block × column panel). A task reuses one packed panel of B (in L2) for all
 * rows of its block, so the work scales over cores without sharing written memory.
 */
abstract class TiledMatMulKernel implements MatMulKernel {
    /** Rows per parallel task: 64 rows of K=3072 floats (768 KiB) still sit in a 1 MiB L2 next to a panel. */
    private static final int ROW_BLOCK = 64;

    /** Computes rows {@code [rowStart, rowEnd)} of C restricted to packed panel {@code panel}. */
    abstract void multiplyBlock(float[] a, int rowStart, int rowEnd, PackedMatrix b, int panel, float[] c);

    @Override
    public void multiply(float[] a, int m, PackedMatrix b, float[] c) {
        checkLengths(a, m, b, c);
        for (int panel = 0; panel < b.panelCount(); panel++) {
            multiplyBlock(a, 0, m, b, panel, c);
        }
    }

    @Override
    public void multiplyParallel(float[] a, int m, PackedMatrix b, float[] c) {
        checkLengths(a, m, b, c);
        int rowBlocks = (m + ROW_BLOCK - 1) / ROW_BLOCK;
        int panels = b.panelCount();
        Parallel.forEach(rowBlocks * panels, task -> {
            int rowStart = (task / panels) * ROW_BLOCK;
            multiplyBlock(a, rowStart, Math.min(m, rowStart + ROW_BLOCK), b, task % panels, c);
        });
    }

    private static void checkLengths(float[] a, int m, PackedMatrix b, float[] c) {
        if (a.length < (long) m * b.rows() || c.length < (long) m * b.columns()) {
            throw new IllegalArgumentException("matmul operands too short for [" + m + "," + b.rows() + "]·["
                    + b.rows() + "," + b.columns() + "]: a=" + a.length + ", c=" + c.length);
        }
    }
}
