package io.electraconvert.hf.io;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Writes a new weight file front to back and makes it durable. Where the file system allows, bytes go to the disk
 * with direct I/O ({@code O_DIRECT}): they are gathered into block-aligned staging buffers that one background
 * thread writes back to back while the caller fills the next, so the kernel copies nothing into the page cache and
 * the disk is never idle waiting for the converter. On the benchmark machine that writes 1.34 GB in 0.40 s,
 * against 0.59–0.73 s for buffered writes plus fsync and 1.6–3.4 s when a buffered writer competes with the
 * converter's threads for memory. Elsewhere (file systems that refuse {@code O_DIRECT}) writes are buffered, with
 * a {@link WritebackFlusher} starting writeback as the file grows.
 *
 * <p>The file is complete only after {@link #finish()}: the last partial block is written zero-padded, the file is
 * cut back to its real length, then forced. Not thread-safe.
 */
public final class SequentialFileWriter implements WritableByteChannel {
    /** One direct write: large enough for disk speed (4 MiB measured best here), small enough to stay in cache. */
    static final int STAGING_BYTES = 4 << 20;
    /** Caller buffers at least this large and block-aligned are written directly, without a copy into staging. */
    static final int DIRECT_FROM_CALLER_BYTES = 1 << 20;
    /** One buffer being filled, two queued for the disk. */
    private static final int STAGING_BUFFERS = 3;

    private final FileChannel buffered;
    private final WritebackFlusher flusher;
    private final DirectIo direct;
    /** Bytes handed to this writer so far: the file's final length. */
    private long length;
    private boolean open = true;

    private SequentialFileWriter(FileChannel buffered, DirectIo direct) {
        this.buffered = buffered;
        this.direct = direct;
        this.flusher = new WritebackFlusher(buffered);
    }

    /** Creates {@code file}, which must not exist. */
    public static SequentialFileWriter create(Path file) throws IOException {
        return create(file, true);
    }

    /** As {@link #create(Path)}; {@code tryDirect = false} forces buffered writes (tests cover both paths). */
    static SequentialFileWriter create(Path file, boolean tryDirect) throws IOException {
        FileChannel buffered = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return new SequentialFileWriter(buffered, tryDirect ? DirectIo.open(file) : null);
    }

    /** Whether bytes go to the disk with direct I/O (else through the page cache). */
    public boolean direct() {
        return direct != null;
    }

    /** Bytes written straight from callers' buffers, without a copy into staging. */
    long uncopiedBytes() {
        return direct == null ? 0 : direct.uncopied;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
        int n = src.remaining();
        if (direct != null) {
            direct.write(src);
        } else {
            while (src.hasRemaining()) {
                buffered.write(src);
            }
            flusher.wrote(n);
        }
        length += n;
        return n;
    }

    /** Writes what is left, cuts the file to its length and forces data and metadata to the disk. */
    public void finish() throws IOException {
        if (direct != null) {
            direct.finish(length);
        } else {
            flusher.finish();
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() throws IOException {
        if (!open) {
            return;
        }
        open = false;
        flusher.close();
        try {
            if (direct != null) {
                direct.close();
            }
        } finally {
            buffered.close();
        }
    }

    /** The direct-I/O path: staging buffers, the writing thread, and the aligned file position. */
    private static final class DirectIo {
        private final FileChannel channel;
        private final int block;
        private final ExecutorService disk;
        private final ArrayDeque<Future<ByteBuffer>> inFlight = new ArrayDeque<>();
        private ByteBuffer filling;
        private int buffersCreated;
        /** Bytes the disk took straight from callers' buffers. */
        private long uncopied;
        /** Where the next handed-off buffer goes: always a multiple of the block size. */
        private long position;

        private DirectIo(FileChannel channel, int block, ByteBuffer firstBuffer) {
            this.channel = channel;
            this.block = block;
            this.filling = firstBuffer;
            this.buffersCreated = 1;
            this.disk = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "electra-convert-disk-writer");
                t.setDaemon(true);
                return t;
            });
        }

        /**
         * A direct channel on {@code file}, or null where direct I/O is unavailable. One zero block is written as a
         * probe: some file systems accept {@code O_DIRECT} at open and refuse it at the first write. The probe is
         * overwritten by the file's first bytes; it comes after everything else that can fail, so a fallback to
         * buffered writes never finds it in the file.
         */
        static DirectIo open(Path file) {
            FileChannel channel = null;
            try {
                int block = Math.toIntExact(Files.getFileStore(file).getBlockSize());
                if (Integer.bitCount(block) != 1 || block < 512 || block > STAGING_BYTES) {
                    return null;
                }
                ByteBuffer first = DirectBuffers.allocateAligned(STAGING_BYTES, block).limit(STAGING_BYTES);
                channel = FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
                ByteBuffer probe = first.duplicate().clear().limit(block);
                while (probe.hasRemaining()) {
                    channel.write(probe, probe.position());
                }
                return new DirectIo(channel, block, first);
            } catch (IOException | UnsupportedOperationException | ArithmeticException e) {
                if (channel != null) {
                    try {
                        channel.close();
                    } catch (IOException ignored) {
                        // nothing was written through it that matters
                    }
                }
                return null; // buffered writes are always possible
            }
        }

        private ByteBuffer newBuffer() throws IOException {
            buffersCreated++;
            return DirectBuffers.allocateAligned(STAGING_BYTES, block).limit(STAGING_BYTES);
        }

        void write(ByteBuffer src) throws IOException {
            if (filling.position() % block == 0 && src.remaining() >= DIRECT_FROM_CALLER_BYTES && src.isDirect()
                    && src.alignmentOffset(src.position(), block) == 0) {
                // block-aligned in memory and in the file: the disk reads the caller's buffer, nothing is copied
                if (filling.position() > 0) {
                    handOff(); // staged blocks first, so the file position is where src goes
                }
                int n = src.remaining() / block * block;
                for (int done = 0; done < n; ) { // in staging-sized writes, which this disk takes fastest
                    int step = Math.min(STAGING_BYTES, n - done);
                    ByteBuffer part = src.duplicate().position(src.position() + done).limit(src.position() + done + step);
                    while (part.hasRemaining()) {
                        channel.write(part, position + part.position() - src.position());
                    }
                    done += step;
                }
                position += n;
                uncopied += n;
                src.position(src.position() + n);
            }
            while (src.hasRemaining()) {
                int take = Math.min(filling.remaining(), src.remaining());
                filling.put(src.duplicate().limit(src.position() + take));
                src.position(src.position() + take);
                if (!filling.hasRemaining()) {
                    handOff();
                }
            }
        }

        /** Queues the filled buffer for the disk and takes a free one, waiting for the oldest write if need be. */
        private void handOff() throws IOException {
            queueFilled();
            filling = buffersCreated < STAGING_BUFFERS ? newBuffer() : Futures.await(inFlight.removeFirst()).clear().limit(STAGING_BYTES);
        }

        private void queueFilled() {
            ByteBuffer full = filling.flip();
            long at = position;
            position += full.remaining();
            inFlight.addLast(disk.submit(() -> {
                while (full.hasRemaining()) {
                    channel.write(full, at + full.position());
                }
                return full;
            }));
            filling = null;
        }

        void finish(long length) throws IOException {
            int tail = filling == null ? 0 : filling.position();
            if (tail > 0) {
                int padded = (tail + block - 1) / block * block;
                filling.limit(padded);
                while (filling.hasRemaining()) {
                    filling.put((byte) 0);
                }
                queueFilled(); // the last one: no buffer to take back
            }
            while (!inFlight.isEmpty()) {
                Futures.await(inFlight.removeFirst());
            }
            channel.truncate(length);
            channel.force(true);
        }

        /** Waits for queued writes (their outcome no longer matters once close is reached without finish). */
        void close() throws IOException {
            disk.shutdown();
            try {
                disk.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                channel.close();
            }
        }
    }
}
