package io.electraconvert.verify.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-tiled Vector API kernel. A task first packs its rows of A into strips of 8 rows, k-major
 * ({@code strip[k·8 + r]}), so that the 8 values a tile needs at step k are adjacent (unpacked, every row needs an
 * index register of its own and C2 runs short of them). An 8-row × 3-vector tile of C then lives in 24
 * accumulators while k runs over the whole depth: each step broadcasts 8 A values and loads 3 B vectors for 24
 * FMAs. Only loaded when the {@code jdk.incubator.vector} module is present (see {@link MatMul}).
 */
public final class VectorMatMulKernel extends TiledMatMulKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int W = 3 * L;
    private static final int MR = 8;
    /** Width of attention's tiles: 4 vectors, i.e. 64 floats, ELECTRA's head size, with 512-bit vectors. */
    private static final int ROW_MAJOR_WIDTH = 4 * L;
    private static final RowKernels ROW_KERNELS = new VectorRowKernels();
    /** Per thread: the packed strips of A, then one tile of C for the edges of C; or attention's last rows. */
    private static final ThreadScratch SCRATCH = new ThreadScratch();

    @Override
    public int panelWidth() {
        return W;
    }

    @Override
    void multiplyBlock(float[] a, int rowStart, int rowEnd, PackedMatrix b, int panelStart, int panelEnd,
            float[] c) {
        int depth = b.rows();
        int n = b.columns();
        int strips = (rowEnd - rowStart + MR - 1) / MR;
        int tile = strips * MR * depth;
        float[] scratch = SCRATCH.get(tile + MR * W);
        packStrips(a, rowStart, rowEnd, depth, scratch);
        for (int panel = panelStart; panel < panelEnd; panel++) {
            int col0 = panel * W;
            int width = Math.min(W, n - col0);
            for (int strip = 0; strip < strips; strip++) {
                int row = rowStart + strip * MR;
                int rows = Math.min(MR, rowEnd - row);
                if (rows == MR && width == W) {
                    tile8x3(scratch, strip * MR * depth, b, panel, c, row * n + col0, n);
                } else {
                    // an edge tile is computed whole into scratch, then trimmed
                    tile8x3(scratch, strip * MR * depth, b, panel, scratch, tile, W);
                    for (int r = 0; r < rows; r++) {
                        System.arraycopy(scratch, tile + r * W, c, (row + r) * n + col0, width);
                    }
                }
            }
        }
    }

    @Override
    public int rowMajorWidth() {
        return ROW_MAJOR_WIDTH;
    }

    @Override
    public RowKernels rowKernels() {
        return ROW_KERNELS;
    }

    /**
     * 4-row × 4-vector tiles of C in 16 accumulators. Attention's operands are used where they lie: packing them
     * would cost about as much as these small products, so A values are broadcast from their rows directly. The last
     * m % 4 rows go through scratch: A's rows zero-padded to 4, C's rows trimmed.
     */
    @Override
    public void multiplyRowMajor(StridedMatrix a, StridedMatrix b, StridedMatrix c, int m, int depth, int n) {
        if (n % ROW_MAJOR_WIDTH != 0) {
            throw new IllegalArgumentException("n = " + n + " is not a multiple of " + ROW_MAJOR_WIDTH);
        }
        int fullRows = m - m % 4;
        for (int col = 0; col < n; col += ROW_MAJOR_WIDTH) {
            for (int row = 0; row < fullRows; row += 4) {
                tile4x4(a, b, c, row, col, depth);
            }
        }
        if (fullRows < m) {
            float[] scratch = SCRATCH.get(4 * depth + 4 * n);
            Arrays.fill(scratch, 0, 4 * depth, 0f);
            for (int r = 0; r < m - fullRows; r++) {
                System.arraycopy(a.values(), a.offset() + (fullRows + r) * a.stride(), scratch, r * depth, depth);
            }
            StridedMatrix rows = new StridedMatrix(scratch, 0, depth);
            StridedMatrix tile = new StridedMatrix(scratch, 4 * depth, n);
            for (int col = 0; col < n; col += ROW_MAJOR_WIDTH) {
                tile4x4(rows, b, tile, 0, col, depth);
            }
            for (int r = 0; r < m - fullRows; r++) {
                System.arraycopy(scratch, 4 * depth + r * n, c.values(), c.offset() + (fullRows + r) * c.stride(), n);
            }
        }
    }

    private static void tile4x4(StridedMatrix a, StridedMatrix b, StridedMatrix c, int row, int col, int depth) {
        float[] av = a.values();
        float[] bv = b.values();
        int a0 = a.offset() + row * a.stride();
        int a1 = a0 + a.stride();
        int a2 = a1 + a.stride();
        int a3 = a2 + a.stride();
        int bBase = b.offset() + col;
        int ldb = b.stride();
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        for (int k = 0; k < depth; k++) {
            int bk = bBase + k * ldb;
            FloatVector b0 = FloatVector.fromArray(S, bv, bk);
            FloatVector b1 = FloatVector.fromArray(S, bv, bk + L);
            FloatVector b2 = FloatVector.fromArray(S, bv, bk + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, bv, bk + 3 * L);
            FloatVector x = FloatVector.broadcast(S, av[a0 + k]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, av[a1 + k]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, av[a2 + k]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, av[a3 + k]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            c33 = x.fma(b3, c33);
        }
        float[] cv = c.values();
        int o = c.offset() + row * c.stride() + col;
        c00.intoArray(cv, o);
        c01.intoArray(cv, o + L);
        c02.intoArray(cv, o + 2 * L);
        c03.intoArray(cv, o + 3 * L);
        o += c.stride();
        c10.intoArray(cv, o);
        c11.intoArray(cv, o + L);
        c12.intoArray(cv, o + 2 * L);
        c13.intoArray(cv, o + 3 * L);
        o += c.stride();
        c20.intoArray(cv, o);
        c21.intoArray(cv, o + L);
        c22.intoArray(cv, o + 2 * L);
        c23.intoArray(cv, o + 3 * L);
        o += c.stride();
        c30.intoArray(cv, o);
        c31.intoArray(cv, o + L);
        c32.intoArray(cv, o + 2 * L);
        c33.intoArray(cv, o + 3 * L);
    }

    /** Rows {@code [rowStart, rowEnd)} of A into strips of {@link #MR} rows, k-major; rows past the end are zero. */
    private static void packStrips(float[] a, int rowStart, int rowEnd, int depth, float[] strips) {
        for (int row = rowStart, base = 0; row < rowEnd; row += MR, base += MR * depth) {
            for (int r = 0; r < MR; r++) {
                int source = (row + r) * depth;
                boolean present = row + r < rowEnd;
                for (int k = 0; k < depth; k++) {
                    strips[base + k * MR + r] = present ? a[source + k] : 0f;
                }
            }
        }
    }

    private static void tile8x3(float[] strips, int stripBase, PackedMatrix b, int panel, float[] out, int outBase,
            int outStride) {
        int depth = b.rows();
        float[] bp = b.panels();
        float[] bias = b.paddedBias();
        FloatVector c00 = FloatVector.fromArray(S, bias, panel * W);
        FloatVector c01 = FloatVector.fromArray(S, bias, panel * W + L);
        FloatVector c02 = FloatVector.fromArray(S, bias, panel * W + 2 * L);
        FloatVector c10 = c00, c11 = c01, c12 = c02;
        FloatVector c20 = c00, c21 = c01, c22 = c02;
        FloatVector c30 = c00, c31 = c01, c32 = c02;
        FloatVector c40 = c00, c41 = c01, c42 = c02;
        FloatVector c50 = c00, c51 = c01, c52 = c02;
        FloatVector c60 = c00, c61 = c01, c62 = c02;
        FloatVector c70 = c00, c71 = c01, c72 = c02;
        int panelBase = panel * depth * W;
        for (int k = 0; k < depth; k++) {
            int bk = panelBase + k * W;
            int ak = stripBase + k * MR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bk);
            FloatVector b1 = FloatVector.fromArray(S, bp, bk + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bk + 2 * L);
            FloatVector x = FloatVector.broadcast(S, strips[ak]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(S, strips[ak + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(S, strips[ak + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            x = FloatVector.broadcast(S, strips[ak + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            x = FloatVector.broadcast(S, strips[ak + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            c42 = x.fma(b2, c42);
            x = FloatVector.broadcast(S, strips[ak + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            c52 = x.fma(b2, c52);
            x = FloatVector.broadcast(S, strips[ak + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            c62 = x.fma(b2, c62);
            x = FloatVector.broadcast(S, strips[ak + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
            c72 = x.fma(b2, c72);
        }
        // stores written out: a helper taking vectors is past C2's inlining node budget here, and then boxes them
        int o = outBase;
        c00.intoArray(out, o);
        c01.intoArray(out, o + L);
        c02.intoArray(out, o + 2 * L);
        o += outStride;
        c10.intoArray(out, o);
        c11.intoArray(out, o + L);
        c12.intoArray(out, o + 2 * L);
        o += outStride;
        c20.intoArray(out, o);
        c21.intoArray(out, o + L);
        c22.intoArray(out, o + 2 * L);
        o += outStride;
        c30.intoArray(out, o);
        c31.intoArray(out, o + L);
        c32.intoArray(out, o + 2 * L);
        o += outStride;
        c40.intoArray(out, o);
        c41.intoArray(out, o + L);
        c42.intoArray(out, o + 2 * L);
        o += outStride;
        c50.intoArray(out, o);
        c51.intoArray(out, o + L);
        c52.intoArray(out, o + 2 * L);
        o += outStride;
        c60.intoArray(out, o);
        c61.intoArray(out, o + L);
        c62.intoArray(out, o + 2 * L);
        o += outStride;
        c70.intoArray(out, o);
        c71.intoArray(out, o + L);
        c72.intoArray(out, o + 2 * L);
    }
}
