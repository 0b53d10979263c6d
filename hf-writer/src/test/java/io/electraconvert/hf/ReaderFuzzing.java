package io.electraconvert.hf;

import io.electraconvert.error.BadInputException;
import io.electraconvert.testsupport.fuzz.Fuzzer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded mutation fuzzing of a weight-file reader, on the shared {@link Fuzzer} loop (seed, iteration count,
 * replay and hang watchdog are its). Each mutated file is read whole; the outcome must be success or an
 * {@link BadInputException} whose message is one line naming the file, allocating at most {@code allocationFactor}
 * times the file's size plus a slack (garbage included).
 */
public final class ReaderFuzzing {
    private static final long SLACK = 8L << 20;
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

    private record Mutated(byte[] bytes, String description) {}

    private ReaderFuzzing() {}

    public static void run(String name, long defaultSeed, int defaultCount, Path file, int allocationFactor,
                           Mutator mutator, Reader reader) throws Exception {
        Fuzzer.run(name, defaultSeed, defaultCount, new Fuzzer.Target<Mutated>() {
            @Override
            public Mutated mutate(SplittableRandom random) {
                StringBuilder description = new StringBuilder();
                try {
                    return new Mutated(mutator.mutate(random, description), description.toString());
                } catch (Exception e) {
                    throw new IllegalStateException("mutator failed: " + description, e);
                }
            }

            @Override
            public String run(Mutated m) throws IOException {
                Files.write(file, m.bytes());
                long before = Fuzzer.allocatedBytes();
                String outcome = read(reader, file);
                Fuzzer.checkAllocation(before, allocationFactor * (long) m.bytes().length + SLACK,
                        "for a file of " + m.bytes().length + " bytes");
                return outcome;
            }

            @Override
            public String describe(Mutated m) {
                return m.description() + ", " + m.bytes().length + " bytes";
            }

            @Override
            public String details(Mutated m) {
                return "";
            }

            @Override
            public long inputBytes(Mutated m) {
                return m.bytes().length;
            }
        });
    }

    /** "ok", or "refused" for a one-line BadInputException naming the file; anything else fails. */
    private static String read(Reader reader, Path file) {
        try {
            reader.readAll(file);
            return "ok";
        } catch (BadInputException e) {
            String m = e.getMessage();
            boolean oneLine = m.chars().noneMatch(c -> c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029);
            if (!file.equals(e.file()) || !m.startsWith(file + ": ") || !oneLine) {
                throw new AssertionError("message is not one line naming the file: " + m, e);
            }
            return "refused";
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
