package io.electraconvert.verify.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-tiled Vector API kernel: a 4-row × 3-vector block of C lives in 12 accumulators while k runs over the
 * whole depth; each step broadcasts 4 A values and loads 3 B vectors for 12 FMAs. Only loaded when the
 * {@code jdk.incubator.vector} module is present (see {@link MatMul}).
 */
public final class VectorMatMulKernel extends TiledMatMulKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int W = 3 * L;

    @Override
    public int panelWidth() {
        return W;
    }

    @Override
    void multiplyBlock(float[] a, int rowStart, int rowEnd, PackedMatrix b, int panel, float[] c) {
        int n = b.columns();
        int col0 = panel * W;
        // a panel reaching past N is written through a scratch block, then trimmed
        boolean full = col0 + W <= n;
        float[] out = full ? c : new float[4 * W];
        int row = rowStart;
        for (; row + 4 <= rowEnd; row += 4) {
            int outBase = full ? row * n + col0 : 0;
            block4x3(a, row, b, panel, out, outBase, full ? n : W);
            if (!full) {
                trimmedCopy(out, 4, c, row, n, col0);
            }
        }
        for (; row < rowEnd; row++) {
            int outBase = full ? row * n + col0 : 0;
            block1x3(a, row, b, panel, out, outBase);
            if (!full) {
                trimmedCopy(out, 1, c, row, n, col0);
            }
        }
    }

    private static void trimmedCopy(float[] scratch, int rows, float[] c, int row, int n, int col0) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(scratch, r * W, c, (row + r) * n + col0, n - col0);
        }
    }

    private static void block4x3(float[] a, int row, PackedMatrix b, int panel, float[] out, int outBase, int outStride) {
        int depth = b.rows();
        float[] bp = b.panels();
        float[] bias = b.paddedBias();
        int biasBase = panel * W;
        FloatVector c00 = FloatVector.fromArray(S, bias, biasBase);
        FloatVector c01 = FloatVector.fromArray(S, bias, biasBase + L);
        FloatVector c02 = FloatVector.fromArray(S, bias, biasBase + 2 * L);
        FloatVector c10 = c00, c11 = c01, c12 = c02;
        FloatVector c20 = c00, c21 = c01, c22 = c02;
        FloatVector c30 = c00, c31 = c01, c32 = c02;
        int a0 = row * depth, a1 = a0 + depth, a2 = a1 + depth, a3 = a2 + depth;
        int bk = panel * depth * W;
        for (int k = 0; k < depth; k++, bk += W) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bk);
            FloatVector b1 = FloatVector.fromArray(S, bp, bk + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bk + 2 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + k]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(S, a[a1 + k]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(S, a[a2 + k]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            x = FloatVector.broadcast(S, a[a3 + k]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
        }
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
    }

    private static void block1x3(float[] a, int row, PackedMatrix b, int panel, float[] out, int outBase) {
        int depth = b.rows();
        float[] bp = b.panels();
        float[] bias = b.paddedBias();
        int biasBase = panel * W;
        FloatVector c0 = FloatVector.fromArray(S, bias, biasBase);
        FloatVector c1 = FloatVector.fromArray(S, bias, biasBase + L);
        FloatVector c2 = FloatVector.fromArray(S, bias, biasBase + 2 * L);
        int a0 = row * depth;
        int bk = panel * depth * W;
        for (int k = 0; k < depth; k++, bk += W) {
            FloatVector x = FloatVector.broadcast(S, a[a0 + k]);
            c0 = x.fma(FloatVector.fromArray(S, bp, bk), c0);
            c1 = x.fma(FloatVector.fromArray(S, bp, bk + L), c1);
            c2 = x.fma(FloatVector.fromArray(S, bp, bk + 2 * L), c2);
        }
        c0.intoArray(out, outBase);
        c1.intoArray(out, outBase + L);
        c2.intoArray(out, outBase + 2 * L);
    }
}
