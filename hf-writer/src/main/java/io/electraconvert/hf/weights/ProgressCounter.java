package io.electraconvert.hf.weights;

/**
 * Counts the bytes writers report against the total a conversion will write and tells a {@link ProgressListener}.
 * Used on the writing thread only.
 */
public final class ProgressCounter {
    private final long total;
    private final ProgressListener listener;
    private long done;

    public ProgressCounter(long total, ProgressListener listener) {
        this.total = total;
        this.listener = listener;
    }

    /** A counter nobody listens to. */
    public static ProgressCounter none() {
        return new ProgressCounter(0, ProgressListener.NONE);
    }

    /** {@code bytes} of tensor {@code name} were written. */
    public void wrote(String name, long bytes) {
        done += bytes;
        listener.progress(done, total, name);
    }

    public long done() {
        return done;
    }
}
