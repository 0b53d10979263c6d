package io.electraconvert.verify.kernels;

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
    /** Per thread: the packed strips of A, then one tile of C for the edges of C. */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

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
        float[] scratch = scratch(tile + MR * W);
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

    private static float[] scratch(int length) {
        float[] scratch = SCRATCH.get();
        if (scratch.length < length) {
            scratch = new float[length];
            SCRATCH.set(scratch);
        }
        return scratch;
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
