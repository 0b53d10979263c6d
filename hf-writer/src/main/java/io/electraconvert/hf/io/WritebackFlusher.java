package io.electraconvert.hf.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.CompletableFuture;

/**
 * Gets a file being written onto the disk while it is still being written: every {@code interval} bytes it starts a
 * {@code force(false)} on a background thread (unless one is still running), so the final {@link #finish()} has
 * little left to flush. Linux only starts writeback on its own past {@code dirty_background_ratio} of memory, which
 * a model file of a few GB never reaches, so without this the whole file waited for the final fsync.
 */
final class WritebackFlusher implements AutoCloseable {
    /** Often enough to keep the disk busy, rarely enough that each fsync has real work. */
    static final long DEFAULT_INTERVAL = 128L << 20;

    private final FileChannel channel;
    private final long interval;
    private long sinceLastFlush;
    private CompletableFuture<Void> pending = CompletableFuture.completedFuture(null);

    WritebackFlusher(FileChannel channel) {
        this(channel, DEFAULT_INTERVAL);
    }

    WritebackFlusher(FileChannel channel, long interval) {
        this.channel = channel;
        this.interval = interval;
    }

    /** Call after writing {@code bytes} more to the channel. */
    void wrote(long bytes) {
        sinceLastFlush += bytes;
        if (sinceLastFlush >= interval && pending.isDone()) {
            sinceLastFlush = 0;
            pending = CompletableFuture.runAsync(() -> {
                try {
                    channel.force(false);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** Waits for a background flush, then forces data and metadata: the file is on disk when this returns. */
    void finish() throws IOException {
        awaitPending();
        channel.force(true);
    }

    private void awaitPending() throws IOException {
        Futures.await(pending);
    }

    /** Waits for a background flush still running (its failure no longer matters: the write already failed). */
    @Override
    public void close() {
        pending.exceptionally(e -> null).join();
    }
}
