package io.electraconvert.testdata.bench;

import io.electraconvert.tfreader.bundle.TensorInfo;
import io.electraconvert.tfreader.TfCheckpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.EagerSession;
import org.tensorflow.Operand;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.Restore;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * Reader throughput on a large checkpoint: tf-reader (streamed in 4 MiB chunks, and whole tensors) against
 * TensorFlow's own {@code RestoreV2} kernel (TF Java 1.1.0; one op call for all tensors, and in batches), over the
 * same tensors: every variable of the discriminator (no optimizer slots). Both sides verify the masked CRC-32C of
 * every tensor. Not a JUnit test (CI must not run it); {@code testdata/bench/run-bench.sh} runs it:
 *
 * <pre>
 * java -cp TEST_CLASSPATH io.electraconvert.testdata.bench.ReaderBenchmark CKPT [--rounds 3] [--batch-mib 256]
 *      [--drop-caches] [--warm]
 * </pre>
 * {@code --drop-caches} (root only) syncs and writes {@code 3} to {@code /proc/sys/vm/drop_caches} before every
 * timed run ("cold"); {@code --warm} also times every method again after one untimed read ("warm"). Prints one
 * {@code RESULT method cache seconds MB/s} line per method and cache state (best of the rounds), for the script.
 */
public final class ReaderBenchmark {
    private static final int CHUNK = 4 << 20;

    private ReaderBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path ckptPath = null;
        int rounds = 3;
        long batchBytes = 256L << 20;
        boolean drop = false;
        boolean warm = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--batch-mib" -> batchBytes = Long.parseLong(args[++i]) << 20;
                case "--drop-caches" -> drop = true;
                case "--warm" -> warm = true;
                default -> ckptPath = Path.of(args[i]);
            }
        }
        if (ckptPath == null) {
            System.err.println("usage: ReaderBenchmark CKPT [--rounds N] [--batch-mib N] [--drop-caches] [--warm]");
            System.exit(2);
        }

        try (TfCheckpoint ckpt = TfCheckpoint.open(ckptPath)) {
            List<TensorInfo> tensors = discriminatorTensors(ckpt);
            long bytes = tensors.stream().mapToLong(TensorInfo::size).sum();
            String prefix = ckpt.prefix().toAbsolutePath().toString();
            List<List<TensorInfo>> batches = batches(tensors, batchBytes);
            System.out.printf(Locale.ROOT, "reader benchmark: %s%n  %d discriminator tensors, %.1f MB (%d RestoreV2 "
                    + "batches of <= %d MiB), best of %d%n", prefix, tensors.size(), bytes / 1e6, batches.size(),
                    batchBytes >> 20, rounds);

            // load TensorFlow's native library and JIT-compile both paths outside the timings
            restore(prefix, tensors.subList(0, 2));
            readStreamed(ckpt, tensors.subList(0, 2));

            Map<String, Run> methods = new LinkedHashMap<>();
            methods.put("tf-reader streamBytes (4 MiB chunks)", () -> readStreamed(ckpt, tensors));
            methods.put("tf-reader readBytes (whole tensors)", () -> readWhole(ckpt, tensors));
            methods.put("TF RestoreV2, one call", () -> restore(prefix, tensors));
            methods.put("TF RestoreV2, batches", () -> {
                long n = 0;
                for (List<TensorInfo> b : batches) {
                    n += restore(prefix, b);
                }
                return n;
            });

            List<String> caches = new ArrayList<>();
            if (drop) {
                caches.add("cold");
            }
            if (warm || !drop) {
                caches.add("warm");
            }
            for (String cache : caches) {
                for (Map.Entry<String, Run> m : methods.entrySet()) {
                    if (cache.equals("warm")) {
                        check(m.getKey(), m.getValue().run(), bytes); // bring the file into the page cache
                    }
                    double best = Double.MAX_VALUE;
                    double[] all = new double[rounds];
                    for (int r = 0; r < rounds; r++) {
                        if (cache.equals("cold")) {
                            dropCaches();
                        }
                        System.gc();
                        long t0 = System.nanoTime();
                        long n = m.getValue().run();
                        double s = (System.nanoTime() - t0) / 1e9;
                        check(m.getKey(), n, bytes);
                        all[r] = s;
                        best = Math.min(best, s);
                    }
                    System.out.printf(Locale.ROOT, "RESULT\t%s\t%s\t%.3f\t%.0f\truns=%s%n", m.getKey(), cache, best,
                            bytes / 1e6 / best, Arrays.toString(all));
                }
            }
        }
    }

    @FunctionalInterface
    private interface Run {
        long run() throws Exception;
    }

    /** The variables a discriminator conversion reads: electra/* and discriminator_predictions/*, no Adam slots. */
    static List<TensorInfo> discriminatorTensors(TfCheckpoint ckpt) {
        List<TensorInfo> out = new ArrayList<>();
        for (TensorInfo t : ckpt.tensors()) {
            String n = t.name();
            if ((n.startsWith("electra/") || n.startsWith("discriminator_predictions/"))
                    && !n.endsWith("/adam_m") && !n.endsWith("/adam_v")) {
                if (t.dtypeCode() != 1) {
                    throw new IllegalStateException(n + " is not float32");
                }
                out.add(t);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no discriminator tensors in " + ckpt.prefix());
        }
        return Collections.unmodifiableList(out);
    }

    private static List<List<TensorInfo>> batches(List<TensorInfo> tensors, long maxBytes) {
        List<List<TensorInfo>> out = new ArrayList<>();
        List<TensorInfo> cur = new ArrayList<>();
        long curBytes = 0;
        for (TensorInfo t : tensors) {
            if (!cur.isEmpty() && curBytes + t.size() > maxBytes) {
                out.add(cur);
                cur = new ArrayList<>();
                curBytes = 0;
            }
            cur.add(t);
            curBytes += t.size();
        }
        if (!cur.isEmpty()) {
            out.add(cur);
        }
        return out;
    }

    /** Streams every tensor (checksum verified by the reader after the last chunk); returns bytes seen. */
    private static long readStreamed(TfCheckpoint ckpt, List<TensorInfo> tensors) throws IOException {
        long[] n = {0};
        for (TensorInfo t : tensors) {
            ckpt.streamBytes(t, CHUNK, chunk -> n[0] += chunk.remaining());
        }
        return n[0];
    }

    /** Reads every tensor whole (checksum verified); returns bytes seen. */
    private static long readWhole(TfCheckpoint ckpt, List<TensorInfo> tensors) {
        long n = 0;
        for (TensorInfo t : tensors) {
            ByteBuffer b = ckpt.readBytes(t);
            n += b.remaining();
        }
        return n;
    }

    /**
     * RestoreV2 of these tensors in one op call (eager: the kernel runs when the op is built; TF verifies each
     * tensor's CRC-32C in BundleReader). Returns the bytes of the restored tensors; the session frees them.
     */
    private static long restore(String prefix, List<TensorInfo> tensors) {
        String[] names = tensors.stream().map(TensorInfo::name).toArray(String[]::new);
        String[] slices = new String[names.length];
        Arrays.fill(slices, "");
        List<Class<? extends TType>> dtypes = new ArrayList<>(Collections.nCopies(names.length, TFloat32.class));
        long n = 0;
        try (EagerSession session = EagerSession.create()) {
            Ops tf = Ops.create(session);
            Restore restored = tf.train.restore(tf.constant(prefix), tf.constant(StandardCharsets.UTF_8, names),
                    tf.constant(StandardCharsets.UTF_8, slices), dtypes);
            for (Operand<TType> o : restored) {
                Tensor t = o.asTensor();
                n += t.numBytes();
            }
        }
        return n;
    }

    private static void check(String method, long got, long expected) {
        if (got != expected) {
            throw new IllegalStateException(method + " read " + got + " bytes, expected " + expected);
        }
    }

    private static void dropCaches() throws IOException, InterruptedException {
        Process sync = new ProcessBuilder("sync").inheritIO().start();
        if (sync.waitFor() != 0) {
            throw new IOException("sync failed");
        }
        Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3");
    }
}
