package io.electraconvert.verify.kernels;

/**
 * Splits a product into tasks of (row block × run of column panels). A task prepares its rows of A once for all
 * panels of its run and reuses each packed panel of B (in L2) for every row of its block; tasks share no written
 * memory.
 */
abstract class TiledMatMulKernel implements MatMulKernel {
    /** Rows per task: 64 rows of K=3072 floats (768 KiB) still sit in a 2 MiB L2 next to a 576 KiB panel. */
    private static final int ROW_BLOCK = 64;
    /** Tasks per thread to aim for, so that the share of a thread the OS stalls can be stolen by the others. */
    private static final int TASKS_PER_THREAD = 4;

    /** Computes rows {@code [rowStart, rowEnd)} of C restricted to packed panels {@code [panelStart, panelEnd)}. */
    abstract void multiplyBlock(float[] a, int rowStart, int rowEnd, PackedMatrix b, int panelStart, int panelEnd,
            float[] c);

    @Override
    public void multiply(float[] a, int m, PackedMatrix b, float[] c) {
        checkLengths(a, m, b, c);
        for (int rowStart = 0; rowStart < m; rowStart += ROW_BLOCK) {
            multiplyBlock(a, rowStart, Math.min(m, rowStart + ROW_BLOCK), b, 0, b.panelCount(), c);
        }
    }

    @Override
    public void multiplyParallel(float[] a, int m, PackedMatrix b, float[] c) {
        checkLengths(a, m, b, c);
        int rowBlocks = (m + ROW_BLOCK - 1) / ROW_BLOCK;
        int panels = b.panelCount();
        // few row blocks (a single sentence) are split by panels too, each run re-preparing its rows
        int wanted = (TASKS_PER_THREAD * Parallel.threads() + rowBlocks - 1) / rowBlocks;
        int runLength = (panels + Math.min(panels, wanted) - 1) / Math.min(panels, wanted);
        int runs = (panels + runLength - 1) / runLength;
        Parallel.forEach(rowBlocks * runs, task -> {
            int rowStart = (task / runs) * ROW_BLOCK;
            int panelStart = (task % runs) * runLength;
            multiplyBlock(a, rowStart, Math.min(m, rowStart + ROW_BLOCK), b, panelStart,
                    Math.min(panels, panelStart + runLength), c);
        });
    }

    private static void checkLengths(float[] a, int m, PackedMatrix b, float[] c) {
        if (a.length < (long) m * b.rows() || c.length < (long) m * b.columns()) {
            throw new IllegalArgumentException("matmul operands too short for [" + m + "," + b.rows() + "]·["
                    + b.rows() + "," + b.columns() + "]: a=" + a.length + ", c=" + c.length);
        }
    }
}
