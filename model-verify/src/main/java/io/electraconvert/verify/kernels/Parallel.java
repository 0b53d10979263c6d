package io.electraconvert.verify.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/** Runs independent tasks on the common ForkJoinPool (caller included), which on n cores gives n workers. */
final class Parallel {
    private Parallel() {}

    /** Threads that run a {@link #forEach}: the common pool's workers and the caller. */
    static int threads() {
        return ForkJoinPool.getCommonPoolParallelism() + 1;
    }

    static void forEach(int taskCount, IntConsumer task) {
        if (taskCount == 1) {
            task.accept(0);
        } else {
            IntStream.range(0, taskCount).parallel().forEach(task);
        }
    }
}
