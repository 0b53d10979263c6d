package io.electraconvert.testsupport.fuzz;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The seeded mutation-fuzzing loop every parser's fuzz test runs. Iteration {@code i} draws all its random numbers
 * from a generator seeded by the seed and {@code i} alone, so any iteration replays on its own. Each runs on a worker
 * thread watched for hangs; a throwable from {@link Target#run}, or an iteration running past the time limit, is a
 * failure reported with the seed, the iteration and the system properties that replay it.
 *
 * <p>System properties: {@code electra.fuzz.seed} and {@code electra.fuzz.iterations} (defaults: the test's),
 * {@code electra.fuzz.only} (replay that iteration alone), {@code electra.fuzz.timeoutMs} (per iteration, 10000).
 * A replayed iteration runs twice and the second run is judged: the first loads the classes and links the call
 * sites its code path needs, as the iterations before it had done in the full run, so allocation caps measure the
 * same thing in both.
 */
public final class Fuzzer {
    private static final int MAX_REPORTED = 20;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** What one fuzz test mutates and checks. */
    public interface Target<M> {
        /** One mutated input, built from {@code random} only. */
        M mutate(SplittableRandom random);

        /** Reads the mutated input; returns the outcome ("ok" or the failure's type). Any throwable fails the test. */
        String run(M mutation) throws Exception;

        /** One line: what was mutated, starting with the mutator's name. */
        String describe(M mutation);

        /** More for a failure report (bytes around the change, say), or "". */
        String details(M mutation);

        /** The mutated input's size, for the allocation summary. */
        long inputBytes(M mutation);
    }

    private Fuzzer() {}

    public static <M> void run(String name, long defaultSeed, int defaultIterations, Target<M> target) throws Exception {
        long seed = Long.getLong("electra.fuzz.seed", defaultSeed);
        int iterations = Integer.getInteger("electra.fuzz.iterations", defaultIterations);
        int only = Integer.getInteger("electra.fuzz.only", -1);
        long timeoutMs = Long.getLong("electra.fuzz.timeoutMs", 10_000);
        int first = only >= 0 ? only : 0;
        int end = only >= 0 ? only + 1 : iterations;

        Map<String, Integer> outcomes = new TreeMap<>();
        Map<String, Integer> mutators = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        long[] maxExcess = {Long.MIN_VALUE, -1, 0};
        Progress<M> progress = new Progress<>();
        long started = System.nanoTime();
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name + "-fuzz");
            t.setDaemon(true);
            return t;
        });
        Future<?> done = worker.submit(() -> {
            progress.thread = Thread.currentThread();
            for (int i = first; i < end && failures.size() < MAX_REPORTED; i++) {
                M m = target.mutate(new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i * 0xBF58476D1CE4E5B9L));
                progress.begin(i, m);
                if (only >= 0) {
                    try {
                        target.run(m);
                    } catch (Throwable warmUp) {
                        // judged on the second run
                    }
                }
                long before = allocatedBytes();
                String outcome;
                try {
                    outcome = target.run(m);
                } catch (Throwable t) {
                    failures.add(report(name, seed, i, target, m, t.toString(), t));
                    outcome = "FAILED " + t.getClass().getSimpleName();
                }
                long excess = allocatedBytes() - before - target.inputBytes(m);
                if (excess > maxExcess[0]) {
                    maxExcess[0] = excess;
                    maxExcess[1] = i;
                    maxExcess[2] = target.inputBytes(m);
                }
                outcomes.merge(outcome, 1, Integer::sum);
                mutators.merge(mutatorName(target.describe(m)), 1, Integer::sum);
                progress.end();
            }
            return null;
        });
        try {
            while (true) {
                try {
                    done.get(100, TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException stillRunning) {
                    String hang = progress.overdue(name, seed, target, timeoutMs);
                    if (hang != null) {
                        failures.add(hang);
                        break;
                    }
                }
            }
        } finally {
            worker.shutdownNow();
        }
        int run = outcomes.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("%s: %d iterations (seed %d) in %.1f s%n", name, run, seed, (System.nanoTime() - started) / 1e9);
        System.out.println("  outcomes: " + outcomes);
        System.out.println("  mutators: " + mutators);
        System.out.printf("  largest allocation beyond the input's size: %d bytes (iteration %d, input of %d bytes)%n",
                maxExcess[0], maxExcess[1], maxExcess[2]);
        if (!failures.isEmpty()) {
            failures.forEach(System.out::println);
            fail(failures.size() + " fuzz failure(s); first: " + failures.get(0));
        }
    }

    /** The description's first word: up to the first space, parenthesis, colon or equals sign. */
    private static String mutatorName(String description) {
        for (int i = 0; i < description.length(); i++) {
            char c = description.charAt(i);
            if (Character.isWhitespace(c) || c == '(' || c == ':' || c == '=') {
                return description.substring(0, i);
            }
        }
        return description;
    }

    /** Bytes the calling thread has allocated so far, garbage included. */
    public static long allocatedBytes() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /**
     * Fails if the calling thread allocated more than {@code cap} bytes since {@code before}: catches allocations
     * sized from a corrupt count before it is checked, and quadratic blow-ups.
     */
    public static void checkAllocation(long before, long cap, String what) {
        long allocated = allocatedBytes() - before;
        if (allocated > cap) {
            throw new AssertionError("allocated " + allocated + " bytes " + what + ", cap " + cap);
        }
    }

    /** Lengths, the first changed offset, and the mutated bytes around it in hex. */
    public static String hexAroundChange(byte[] original, byte[] mutated) {
        int at = Arrays.mismatch(original, mutated);
        if (at < 0) {
            return "unchanged";
        }
        int from = Math.max(0, at - 16);
        int to = Math.min(mutated.length, at + 48);
        return String.format("%d -> %d bytes, first change at 0x%x; bytes [0x%x, 0x%x): %s", original.length,
                mutated.length, at, from, to, HexFormat.ofDelimiter(" ").formatHex(mutated, from, to));
    }

    private static <M> String report(String name, long seed, int iteration, Target<M> target, M m, String problem, Throwable t) {
        StringBuilder sb = new StringBuilder(String.format(
                "FUZZ FAILURE %s seed=%d iteration=%d (replay: -Delectra.fuzz.seed=%d -Delectra.fuzz.only=%d)%n"
                        + "    mutation: %s%n    problem: %s%n", name, seed, iteration, seed, iteration,
                target.describe(m), problem));
        String details = target.details(m);
        if (!details.isEmpty()) {
            sb.append("    ").append(details.strip().replace("\n", "\n    ")).append('\n');
        }
        if (t != null) {
            StringWriter w = new StringWriter();
            t.printStackTrace(new PrintWriter(w));
            sb.append("    ").append(w.toString().replace("\n", "\n    "));
        }
        return sb.toString();
    }

    /** The iteration under way, for the hang watchdog. */
    private static final class Progress<M> {
        volatile Thread thread;
        volatile int index = -1;
        volatile long startedAt;
        volatile M mutation;

        void begin(int i, M m) {
            mutation = m;
            index = i;
            startedAt = System.nanoTime();
        }

        void end() {
            index = -1;
        }

        String overdue(String name, long seed, Target<M> target, long limitMs) {
            int i = index;
            M m = mutation;
            if (i < 0 || System.nanoTime() - startedAt < limitMs * 1_000_000L) {
                return null;
            }
            StringBuilder stack = new StringBuilder();
            for (StackTraceElement e : thread.getStackTrace()) {
                stack.append("\n        at ").append(e);
            }
            return report(name, seed, i, target, m, "no result after " + limitMs + " ms (hang?)" + stack, null);
        }
    }
}
