package io.electraconvert.hf.io;

import io.electraconvert.hf.io.SlabLayout.Piece;
import io.electraconvert.hf.io.SlabLayout.Unit;
import io.electraconvert.hf.weights.TensorPayload.ChunkSink;
import io.electraconvert.tfreader.TfCheckpoint;
import io.electraconvert.tfreader.checksum.Crc32cCombine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Produces a conversion's tensors ahead of the writer. Loader threads read slab loads ({@link SlabLayout}) into a
 * few reusable direct buffers, checksum them and transpose kernels, while the writer's thread only hands finished
 * slabs on and checks each tensor's combined CRC-32C. How many loads run at once follows where the bytes come from
 * ({@link ReadConcurrency}).
 *
 * <p>Read-ahead assumes tensors are asked for in layout order, as the safetensors and pytorch writers do; a request
 * out of that order drops what was read ahead and starts again at the requested tensor. Memory is bounded by the
 * slabs plus one read buffer per load running at once, each the slab size (at least the largest kernel). Not
 * thread-safe: one writer streams one tensor at a time.
 */
public final class ReadAhead implements AutoCloseable {
    /** Slab memory in flight: enough to keep the disk and the cores busy while the writer writes. */
    static final long READ_AHEAD_BYTES = 64L << 20;
    /** Most loads at once, for a cold disk (see {@link ReadConcurrency}); four readers measured fastest there. */
    static final int MAX_LOADERS = 4;

    /** Pieces decoded by {@link TfCheckpoint#readFloats}, which verifies the checksum itself, carry no CRC. */
    private static final int NO_CRC = 0;
    /** Read size: few system calls, and the step is still in cache when its CRC is computed. */
    private static final int READ_STEP = 4 << 20;
    private static final int PAGE = 4096;

    private final TfCheckpoint checkpoint;
    private final List<TensorSource> tensors;
    private final SlabLayout layout;
    private final int loaders;
    private final int maxSlabs;
    private final ReadConcurrency concurrency;
    private final ArrayDeque<ByteBuffer> freeSlabs = new ArrayDeque<>();
    private final ArrayDeque<Loading> loading = new ArrayDeque<>();
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);
    /** Kernel read buffers, shared: at most one per load running at once, however many loader threads exist. */
    private final ConcurrentLinkedQueue<ByteBuffer> readBuffers = new ConcurrentLinkedQueue<>();
    private ExecutorService pool;
    private int slabsCreated;
    /** Next unit to schedule. */
    private int nextUnit;
    /** Next piece the writer will take: unit and piece index in it; the head of {@link #loading} when scheduled. */
    private int cursorUnit;
    private int cursorPiece;

    ReadAhead(TfCheckpoint checkpoint, List<TensorSource> tensors, SlabLayout layout, int loaders, int maxSlabs) {
        this.checkpoint = checkpoint;
        this.tensors = tensors;
        this.layout = layout;
        this.loaders = Math.max(1, loaders);
        this.maxSlabs = Math.max(2, maxSlabs);
        this.concurrency = new ReadConcurrency(this.loaders);
    }

    /**
     * A read-ahead over {@code tensors} (in the order they will be asked for) with slabs and loaders within half
     * of {@code maxMemory} (the JVM's limit, which by default also caps direct buffers): each slab and each running
     * load's read buffer is one slab size. At least two slabs and one loader, so -Xmx128m converts ELECTRA-large
     * with 16 MiB slabs; up to {@link #READ_AHEAD_BYTES} of slabs and {@link #MAX_LOADERS} loaders when memory
     * allows.
     */
    public static ReadAhead sized(TfCheckpoint checkpoint, List<TensorSource> tensors, long maxMemory) {
        return sized(checkpoint, tensors, SlabLayout.MIN_SLAB_BYTES, maxMemory);
    }

    static ReadAhead sized(TfCheckpoint checkpoint, List<TensorSource> tensors, int minSlabBytes, long maxMemory) {
        SlabLayout layout = SlabLayout.of(tensors, minSlabBytes);
        long units = Math.max(3, maxMemory / 2 / layout.slabBytes());
        int loaders = (int) Math.max(1, Math.min(MAX_LOADERS, (units - 2) / 2));
        int slabs = (int) Math.max(2, Math.min(READ_AHEAD_BYTES / layout.slabBytes(), units - loaders));
        // the writer holds one slab; the others can be loading
        return new ReadAhead(checkpoint, tensors, layout, Math.min(loaders, slabs - 1), slabs);
    }

    int loaders() {
        return loaders;
    }

    int maxSlabs() {
        return maxSlabs;
    }

    /** Starts reading ahead from tensor {@code index} before it is asked for; only before anything else is. */
    public void startAt(int index) {
        if (!loading.isEmpty()) {
            throw new IllegalStateException("already reading ahead");
        }
        cursorUnit = layout.firstUnit()[index];
        cursorPiece = layout.firstPiece()[index];
        nextUnit = cursorUnit;
        topUp();
    }

    /** Hands tensor {@code index}'s bytes to {@code sink} in order, verified against the checkpoint's CRC at the end. */
    public void stream(int index, ChunkSink sink) throws IOException {
        if (cursorUnit != layout.firstUnit()[index] || cursorPiece != layout.firstPiece()[index]) {
            drain();
            startAt(index);
        }
        TensorSource tensor = tensors.get(index);
        int crc = 0;
        while (true) {
            topUp();
            Loading head = loading.getFirst();
            int[] crcs = Futures.await(head.result);
            Piece piece = layout.units().get(head.unit).pieces().get(cursorPiece);
            ByteBuffer chunk = head.slab.duplicate().position(piece.slabOffset()).limit(piece.slabOffset() + piece.length());
            sink.accept(chunk.slice().order(ByteOrder.LITTLE_ENDIAN));
            crc = Crc32cCombine.combine(crc, crcs[cursorPiece], piece.length());
            if (++cursorPiece == crcs.length) {
                freeSlabs.push(loading.removeFirst().slab);
                cursorUnit++;
                cursorPiece = 0;
            }
            if (piece.from() + piece.length() == tensor.outputBytes()) {
                if (tensor.storedAsFloat32()) {
                    checkpoint.verifyChecksum(tensor.info(), crc);
                }
                return;
            }
        }
    }

    /** Schedules units while slabs are free: the writer's consumption paces the loaders. */
    private void topUp() {
        while (nextUnit < layout.units().size() && (!freeSlabs.isEmpty() || slabsCreated < maxSlabs)) {
            ByteBuffer slab = freeSlabs.poll(); // null: a loader allocates it; zeroing 16 MiB need not hold the writer
            Loading l = new Loading(nextUnit, slab, concurrency.ticket());
            try {
                pool().execute(l);
            } catch (RuntimeException e) { // rejected (used after close): nothing was scheduled, so nothing to wait for
                concurrency.skip(l.ticket);
                if (slab != null) {
                    freeSlabs.push(slab);
                }
                throw e;
            }
            if (slab == null) {
                slabsCreated++;
            }
            nextUnit++;
            loading.addLast(l);
        }
    }

    /** Cancels what was read ahead; waits for loads already running, since they still write into their slabs. */
    private void drain() throws IOException {
        loading.forEach(l -> l.cancelled = true);
        while (!loading.isEmpty()) {
            Loading l = loading.removeFirst();
            Futures.await(l.result.handle((r, e) -> null)); // its outcome no longer matters, only that it is done
            if (l.slab != null) {
                freeSlabs.push(l.slab);
            } else {
                slabsCreated--; // skipped before its loader allocated it
            }
        }
    }

    private ExecutorService pool() {
        if (pool == null) {
            AtomicInteger n = new AtomicInteger();
            pool = Executors.newFixedThreadPool(loaders, r -> {
                Thread t = new Thread(r, "electra-convert-loader-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }

    /** Reads, checksums and transposes one unit into its slab; returns each piece's stored-bytes CRC. */
    private int[] load(Unit unit, ByteBuffer slab, Scratch mine) {
        List<Piece> pieces = unit.pieces();
        int[] crcs = new int[pieces.size()];
        for (int i = 0; i < pieces.size(); i++) {
            Piece p = pieces.get(i);
            TensorSource t = tensors.get(p.tensor());
            ByteBuffer region = slab.duplicate().position(p.slabOffset()).limit(p.slabOffset() + p.length()).slice()
                    .order(ByteOrder.LITTLE_ENDIAN);
            if (!t.storedAsFloat32()) {
                long start = System.nanoTime();
                t.decodeInto(checkpoint, mine.transposer, region.asFloatBuffer());
                mine.timedRead(t.info().size(), start);
                crcs[i] = NO_CRC;
            } else if (t.transpose()) {
                ByteBuffer buffer = readBuffers.poll();
                if (buffer == null) {
                    buffer = allocate(layout.slabBytes()); // the slab size bounds every kernel
                }
                try {
                    ByteBuffer raw = buffer.duplicate().clear().limit(p.length()).slice().order(ByteOrder.LITTLE_ENDIAN);
                    crcs[i] = readInSteps(t, p.from(), raw, mine);
                    mine.transposer.transpose(raw.asFloatBuffer(), t.rows(), t.cols(), region.asFloatBuffer());
                } finally {
                    readBuffers.add(buffer);
                }
            } else {
                crcs[i] = readInSteps(t, p.from(), region, mine);
            }
        }
        return crcs;
    }

    /**
     * Reads {@code target.remaining()} stored bytes from {@code from} in {@value #READ_STEP}-byte steps, each
     * checksummed right after its read, while it is still in cache.
     */
    private int readInSteps(TensorSource t, long from, ByteBuffer target, Scratch mine) {
        long start = System.nanoTime();
        int crc = 0;
        int length = target.remaining();
        for (int done = 0; done < length; ) {
            int n = Math.min(READ_STEP, length - done);
            crc = Crc32cCombine.combine(crc, checkpoint.readRange(t.info(), from + done, target.duplicate().position(done).limit(done + n)), n);
            done += n;
        }
        mine.timedRead(length, start);
        return crc;
    }

    /** Stops the loaders after the loads already running; pending ones are skipped. */
    @Override
    public void close() throws IOException {
        try {
            drain();
        } finally {
            if (pool != null) {
                pool.shutdown(); // never shutdownNow: an interrupted read closes the checkpoint's channel
                try {
                    pool.awaitTermination(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** A loader's own state: the transposer's tiles and its read timing. */
    private static final class Scratch {
        final KernelTransposer transposer = new KernelTransposer();
        long readBytes;
        long readNanos;

        void timedRead(long bytes, long startNanos) {
            readBytes += bytes;
            readNanos += System.nanoTime() - startNanos;
        }
    }

    /** A page-aligned direct buffer, so a writer using direct I/O can hand aligned pieces to the disk uncopied. */
    private static ByteBuffer allocate(int bytes) {
        try {
            return DirectBuffers.allocateAligned(bytes, PAGE);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // sized() fits the read-ahead to the heap; a lower direct-memory cap ends here
        }
    }

    /** One scheduled unit; completes once its loader is done with the slab, even when cancelled. */
    private final class Loading implements Runnable {
        final int unit;
        /** Null until the loader allocates it (published to the writer by {@link #result}). */
        ByteBuffer slab;
        final CompletableFuture<int[]> result = new CompletableFuture<>();
        /** Its turn at the {@link ReadConcurrency} gate, in scheduling order. */
        final long ticket;
        volatile boolean cancelled;

        Loading(int unit, ByteBuffer slab, long ticket) {
            this.unit = unit;
            this.slab = slab;
            this.ticket = ticket;
        }

        @Override
        public void run() {
            if (cancelled) {
                concurrency.skip(ticket);
                result.cancel(false);
                return;
            }
            Scratch mine = scratch.get();
            mine.readBytes = 0;
            mine.readNanos = 0;
            concurrency.enter(ticket);
            try {
                if (cancelled) { // dropped while it waited for its turn: give the turn on at once
                    result.cancel(false);
                    return;
                }
                if (slab == null) {
                    slab = allocate(layout.slabBytes());
                }
                result.complete(load(layout.units().get(unit), slab, mine));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            } finally {
                concurrency.exit(mine.readBytes, mine.readNanos);
            }
        }
    }
}
