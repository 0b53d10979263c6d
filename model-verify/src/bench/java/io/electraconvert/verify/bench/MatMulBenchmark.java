package io.electraconvert.verify.bench;

import io.electraconvert.verify.kernels.MatMul;
import io.electraconvert.verify.kernels.MatMulKernel;
import io.electraconvert.verify.kernels.PackedMatrix;
import java.util.Random;

/** GFLOP/s of the selected kernel on one {@code [M,K]·[K,N]} product (default 1024×768 · 768×3072). */
public final class MatMulBenchmark {
    private MatMulBenchmark() {}

    public static void main(String[] args) {
        int m = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int k = args.length > 1 ? Integer.parseInt(args[1]) : 768;
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 3072;
        int repetitions = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        MatMulKernel kernel = MatMul.kernel();
        Random random = new Random(1);
        float[] a = randomArray(random, m * k);
        PackedMatrix b = kernel.packLinear(randomArray(random, n * k), randomArray(random, n), n, k);
        float[] c = new float[m * n];
        for (int i = 0; i < 10; i++) {
            kernel.multiplyParallel(a, m, b, c);
        }
        long best = Long.MAX_VALUE;
        long total = 0;
        for (int i = 0; i < repetitions; i++) {
            long start = System.nanoTime();
            kernel.multiplyParallel(a, m, b, c);
            long elapsed = System.nanoTime() - start;
            best = Math.min(best, elapsed);
            total += elapsed;
        }
        double flops = 2.0 * m * k * n;
        System.out.printf("java matmul %dx%d · %dx%d (%s): median-free mean %.2f ms, best %.2f ms, %.1f GFLOP/s (best), %.1f GFLOP/s (mean)%n",
                m, k, k, n, kernel.getClass().getSimpleName(), total / 1e6 / repetitions, best / 1e6,
                flops / best, flops / (total / (double) repetitions));
    }

    private static float[] randomArray(Random random, int length) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
