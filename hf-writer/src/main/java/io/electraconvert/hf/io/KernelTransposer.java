package io.electraconvert.hf.io;

import java.nio.FloatBuffer;

/**
 * Turns TF kernels ({@code [in, out]}, row-major) into PyTorch weights ({@code [out, in]}), and back for Keras. Kernels are 90 % of an
 * ELECTRA model's bytes, so this is the converter's hottest loop. The naive column walk reads with a stride of a
 * whole row, a power of two for every ELECTRA shape, so all of a tile's rows fall into the same few cache sets and
 * evict each other (1.7 ns per element on a 1024×4096 kernel). Instead, bands of {@value #BAND} output rows are
 * built in a small array: {@value #TILE} source rows at a time are copied into a contiguous tile, the tile is
 * transposed inside the cache, and each finished band leaves with one bulk copy (about 1 ns per element, read
 * straight from the direct buffer the kernel was read into, so no extra pass copies it to the heap first). One
 * instance per thread: it keeps its scratch arrays.
 */
public final class KernelTransposer {
    /** Output rows per band: a band of {@code BAND × in} floats is 512 KiB for in = 1024. */
    private static final int BAND = 128;
    /** Source rows per tile: a {@code TILE × BAND} tile is 32 KiB, inside L1. */
    private static final int TILE = 64;

    private float[] band = new float[0];
    private final float[] tile = new float[TILE * BAND];

    /** {@code dst[c * rows + r] = src[r * cols + c]}, at both buffers' absolute indices from 0. */
    public void transpose(FloatBuffer src, int rows, int cols, FloatBuffer dst) {
        long n = (long) rows * cols;
        if (src.limit() < n || dst.limit() < n) {
            throw new IllegalArgumentException("a " + rows + "x" + cols + " kernel needs " + n + " floats; source has "
                    + src.limit() + ", destination " + dst.limit());
        }
        if (band.length < BAND * rows) {
            band = new float[BAND * rows];
        }
        for (int c0 = 0; c0 < cols; c0 += BAND) {
            int k = Math.min(BAND, cols - c0);
            for (int r0 = 0; r0 < rows; r0 += TILE) {
                int h = Math.min(TILE, rows - r0);
                for (int r = 0; r < h; r++) {
                    src.get((r0 + r) * cols + c0, tile, r * k, k);
                }
                for (int c = 0; c < k; c++) {
                    int o = c * rows + r0;
                    for (int r = 0, i = c; r < h; r++, i += k) {
                        band[o + r] = tile[i];
                    }
                }
            }
            dst.put(c0 * rows, band, 0, k * rows);
        }
    }
}
