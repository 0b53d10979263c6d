package io.electraconvert.hf.io;

import java.util.HashSet;
import java.util.Set;

/**
 * How many slab loads may run at once, following where the checkpoint's bytes come from. Reads served by the page
 * cache run at 5–17 GB/s per thread on the benchmark machine, and a second concurrent load only competes for memory
 * bandwidth: one loader converts ELECTRA-large about 10 % faster than two or three. Reads from the disk run at
 * 0.3–2 GB/s, and the disk needs several requests in flight: four readers fetch 1.9 GB/s where one fetches 1.2.
 * So loads start one at a time, and a smoothed read rate decides: below {@value #DISK_BYTES_PER_NANO} GB/s the
 * bytes come from the disk and up to {@code max} loads run at once; above {@value #MEMORY_BYTES_PER_NANO} GB/s
 * they come from memory and one does; in between nothing changes, so the count does not flap.
 *
 * <p>Loads enter in the order they were scheduled (each holds a ticket): with one allowed at a time, a later load
 * overtaking the one the writer waits for would only make it wait longer. A load skipped before it ran gives its
 * turn up with {@link #skip}.
 *
 * <p>Waiting ignores interrupts: the loaders are private pool threads that nothing interrupts, and an interrupt
 * during a read would close the checkpoint's shared file channel for every other reader.
 */
final class ReadConcurrency {
    /** Bytes per nanosecond (GB/s) below which reads are taken to come from the disk. */
    static final double DISK_BYTES_PER_NANO = 2.0;
    /** Above this, from the page cache (which served 5–17 GB/s per thread). */
    static final double MEMORY_BYTES_PER_NANO = 4.0;
    /** Smaller reads time system-call overhead more than bandwidth and are not counted. */
    static final long MIN_SAMPLE_BYTES = 1 << 20;
    /** Weight of the newest sample: a few slow reads in a row switch, a single outlier does not. */
    private static final double NEWEST = 0.3;

    private final int max;
    private int allowed = 1;
    private int running;
    private double smoothedRate = Double.NaN;
    /** Tickets handed out, and the one whose turn it is to enter. */
    private long issued;
    private long nextTicket;
    /** Tickets given up before their turn came. */
    private final Set<Long> skipped = new HashSet<>();

    ReadConcurrency(int max) {
        this.max = Math.max(1, max);
    }

    /** The next ticket, in scheduling order; every ticket must later {@link #enter} or {@link #skip}. */
    synchronized long ticket() {
        return issued++;
    }

    /** Waits until it is this ticket's turn and one more load may run. */
    synchronized void enter(long ticket) {
        while (ticket != nextTicket || running >= allowed) {
            try {
                wait();
            } catch (InterruptedException ignored) {
                // see the class comment: never interrupted on purpose; keep waiting for a slot
            }
        }
        running++;
        advance();
    }

    /** Gives up this ticket's turn (its load was cancelled before it ran). */
    synchronized void skip(long ticket) {
        if (ticket == nextTicket) {
            advance();
        } else {
            skipped.add(ticket);
        }
    }

    private void advance() {
        nextTicket++;
        while (skipped.remove(nextTicket)) {
            nextTicket++;
        }
        notifyAll();
    }

    /** A load finished having read {@code bytes} in {@code nanos}. */
    synchronized void exit(long bytes, long nanos) {
        running--;
        if (bytes >= MIN_SAMPLE_BYTES && nanos > 0) {
            double rate = bytes / (double) nanos;
            smoothedRate = Double.isNaN(smoothedRate) ? rate : (1 - NEWEST) * smoothedRate + NEWEST * rate;
            if (smoothedRate < DISK_BYTES_PER_NANO) {
                allowed = max;
            } else if (smoothedRate > MEMORY_BYTES_PER_NANO) {
                allowed = 1;
            }
        }
        notifyAll();
    }

    synchronized int allowed() {
        return allowed;
    }
}
