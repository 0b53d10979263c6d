package io.electraconvert.hf;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Seeded mutation fuzzing of a weight-file reader. Each mutated file is read whole on a worker thread; the outcome
 * must be success or an {@link HfFormatException} whose message is one line naming the file, within a time limit
 * (a hang fails the run), allocating at most {@code allocationFactor} times the file's size plus a slack (garbage
 * included). A failure names the seed and mutation index to rerun it alone.
 *
 * <p>System properties: {@code electra.fuzz.seed}, {@code electra.fuzz.mutations}, {@code electra.fuzz.only} (one
 * mutation index), {@code electra.fuzz.timeoutMs} (per mutation, default 10000).
 */
public final class ReaderFuzzing {
    private static final int ONLY = Integer.getInteger("electra.fuzz.only", -1);
    private static final long TIMEOUT_MS = Long.getLong("electra.fuzz.timeoutMs", 10_000);
    private static final long SLACK = 8L << 20;
    private static final int MAX_REPORTED = 20;
    /** Values worth writing over a field: lengths, counts and offsets at their edges. */
    public static final long[] INTERESTING = {0, 1, 2, 7, 8, 0x7f, 0x80, 0xff, 0xffff, Integer.MAX_VALUE, 0xffffffffL,
            1L << 32, 1L << 40, 1L << 62, Long.MAX_VALUE, -1, -2};

    /** Produces a mutated file's bytes from a seeded random source, describing what it changed. */
    @FunctionalInterface
    public interface Mutator {
        byte[] mutate(SplittableRandom random, StringBuilder description) throws Exception;
    }

    /** Opens the file and reads every tensor. */
    @FunctionalInterface
    public interface Reader {
        void readAll(Path file);
    }

    private ReaderFuzzing() {}

    public static void run(String name, long defaultSeed, int defaultCount, Path file, int allocationFactor,
                           Mutator mutator, Reader reader) throws Exception {
        long seed = Long.getLong("electra.fuzz.seed", defaultSeed);
        int count = Integer.getInteger("electra.fuzz.mutations", defaultCount);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name + "-fuzz");
            t.setDaemon(true);
            return t;
        });
        long started = System.nanoTime();
        try {
            for (int i = ONLY >= 0 ? ONLY : 0; i < (ONLY >= 0 ? ONLY + 1 : count) && failures.size() < MAX_REPORTED; i++) {
                SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i * 0xBF58476D1CE4E5B9L);
                StringBuilder description = new StringBuilder();
                byte[] bytes = mutator.mutate(random, description);
                Files.write(file, bytes);
                String where = String.format("%s seed=%d mutation=%d (-Delectra.fuzz.seed=%d -Delectra.fuzz.only=%d): %s, %d bytes",
                        name, seed, i, seed, i, description, bytes.length);
                Future<String> outcome = worker.submit(() -> {
                    long before = threads.getCurrentThreadAllocatedBytes();
                    String result = read(reader, file);
                    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                    long cap = allocationFactor * (long) bytes.length + SLACK;
                    return allocated > cap ? "allocated " + allocated + " bytes (cap " + cap + ")" : result;
                });
                try {
                    String result = outcome.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    if (!result.equals("ok") && !result.equals("refused")) {
                        failures.add(where + ": " + result);
                    }
                    outcomes.merge(result.startsWith("allocated") ? "over allocation cap" : result, 1, Integer::sum);
                } catch (TimeoutException e) {
                    failures.add(where + ": no result after " + TIMEOUT_MS + " ms (hang?)");
                    break; // the worker is stuck; the rest cannot run
                } catch (ExecutionException e) {
                    failures.add(where + ": " + e.getCause());
                    e.getCause().printStackTrace(System.out);
                }
            }
        } finally {
            worker.shutdownNow();
        }
        System.out.printf("%s fuzz: %s in %.1f s (seed %d)%n", name, outcomes, (System.nanoTime() - started) / 1e9, seed);
        if (!failures.isEmpty()) {
            failures.forEach(System.out::println);
            fail(failures.size() + " fuzz failure(s); first: " + failures.get(0));
        }
    }

    /** "ok", "refused" (a one-line HfFormatException naming the file) or what went wrong. */
    private static String read(Reader reader, Path file) {
        try {
            reader.readAll(file);
            return "ok";
        } catch (HfFormatException e) {
            String m = e.getMessage();
            boolean oneLine = m.chars().noneMatch(c -> c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029);
            return file.equals(e.file()) && m.startsWith(file + ": ") && oneLine ? "refused"
                    : "message is not one line naming the file: " + m;
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            return "threw " + t;
        }
    }

    /**
     * A byte-level mutation of {@code in}: bit flips, edge values over 1-8 bytes, truncation, growth, cut-outs. The
     * position is drawn below a power of two itself drawn from 64 B to 2 MB, so the structures at the start of a
     * file are hit as often as the values after them.
     */
    public static byte[] mutateBytes(byte[] in, SplittableRandom random, StringBuilder description) {
        byte[] b = in.clone();
        int p = random.nextInt(Math.max(1, Math.min(b.length, 1 << (6 + random.nextInt(16)))));
        switch (random.nextInt(6)) {
            case 0, 1 -> {
                int flips = 1 + random.nextInt(4);
                for (int k = 0; k < flips && b.length > 0; k++) {
                    int q = random.nextInt(b.length);
                    b[q] ^= (byte) (1 << random.nextInt(8));
                }
                description.append(flips).append(" bit flips");
                return b;
            }
            case 2 -> {
                long v = INTERESTING[random.nextInt(INTERESTING.length)];
                int width = 1 << random.nextInt(4);
                for (int k = 0; k < width && p + k < b.length; k++) {
                    b[p + k] = (byte) (v >>> (8 * k));
                }
                description.append(width).append("-byte ").append(v).append(" at ").append(p);
                return b;
            }
            case 3 -> {
                int n = random.nextInt(Math.max(1, b.length));
                description.append("truncated to ").append(n);
                return Arrays.copyOf(b, n);
            }
            case 4 -> {
                int n = 1 + random.nextInt(4096);
                description.append("extended by ").append(n);
                return Arrays.copyOf(b, b.length + n);
            }
            default -> {
                int n = Math.min(1 + random.nextInt(64), b.length - p);
                byte[] out = new byte[b.length - n];
                System.arraycopy(b, 0, out, 0, p);
                System.arraycopy(b, p + n, out, p, b.length - p - n);
                description.append("cut ").append(n).append(" at ").append(p);
                return out;
            }
        }
    }
}
