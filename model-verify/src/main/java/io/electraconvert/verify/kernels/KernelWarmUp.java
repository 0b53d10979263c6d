package io.electraconvert.verify.kernels;

import java.util.Arrays;

/**
 * Runs a kernel's products and row operations on small operands on a thread of its own, so that the JIT has compiled
 * them by the time a large model needs them. Until C2 compiles a Vector API method it runs interpreted, boxing every
 * vector, many times slower than scalar code; in an ELECTRA-large check the first layers spent ~1.5 s that way while
 * the model's weights were still being read. Small operands reach the compile thresholds in a fraction of that.
 */
public final class KernelWarmUp {
    private static final int ROUNDS = 3_000;

    private KernelWarmUp() {}

    /** Starts warming {@code kernel} up in the background; returns at once. */
    public static void start(MatMulKernel kernel) {
        Thread t = new Thread(() -> run(kernel), "kernel-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /** The warm-up itself, on the calling thread. */
    static void run(MatMulKernel kernel) {
        int rows = 8;
        int in = 64;
        int out = 3 * 48; // one block of 8×3 panels of 16 and more: the product's main tile and its edges
        float[] a = filled(rows * in);
        PackedMatrix b = kernel.packLinear(filled(out * in), filled(out), out, in);
        float[] c = new float[rows * out];
        int seq = 16;
        int heads = 1; // one head: attention runs inline on this thread, not on the pool the real work uses
        int headSize = 48; // qkv rows of 3 · 48 = 144 = out
        int[] mask = new int[seq];
        Arrays.fill(mask, 1);
        mask[seq - 1] = 0;
        float[] qkv = filled(seq * out);
        float[] row = filled(in);
        float[] ones = new float[in];
        Arrays.fill(ones, 1f);
        RowKernels rowKernels = kernel.rowKernels();
        for (int i = 0; i < ROUNDS; i++) {
            kernel.multiply(a, rows, b, c);
            Attention.apply(qkv, 1, seq, heads, headSize, mask, kernel);
            rowKernels.layerNorm(row.clone(), 0, in, ones, row, 1e-12f);
            rowKernels.activate(Activation.GELU_ERF, row.clone(), 0, in);
        }
    }

    private static float[] filled(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = ((i * 37) % 17 - 8) / 16f;
        }
        return x;
    }
}
