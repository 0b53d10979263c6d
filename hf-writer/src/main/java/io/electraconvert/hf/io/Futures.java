package io.electraconvert.hf.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for background work (reads ahead, disk writes, flushes) and getting its failure back as it was thrown. */
public final class Futures {
    private Futures() {}

    /**
     * The task's result. Its failure is rethrown unwrapped: an {@link IOException} (also from inside an
     * {@link UncheckedIOException}, the only way a lambda can carry one), a runtime exception such as a checksum
     * mismatch, or an error; anything else becomes an {@code IOException}.
     */
    public static <T> T await(Future<T> task) throws IOException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for background work");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        }
    }
}
