package io.electraconvert.cli;

import io.electraconvert.hf.weights.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * One self-rewriting stderr line (bytes done/total, rate, ETA), shown only on a terminal and only once a
 * conversion has run for a second, so scripts and quick conversions print nothing extra.
 */
final class ProgressDisplay implements ProgressListener {
    private static final long SHOW_AFTER_NANOS = 1_000_000_000L;
    private static final long REFRESH_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final boolean enabled;
    private final LongSupplier clock;
    private final long start;
    private long lastDraw;
    private boolean drawn;

    ProgressDisplay(PrintWriter err, boolean enabled, LongSupplier nanoClock) {
        this.err = err;
        this.enabled = enabled;
        this.clock = nanoClock;
        this.start = nanoClock.getAsLong();
    }

    /**
     * Shown when stderr is a terminal. Java cannot ask that of stderr alone, so the launcher script, which can
     * ({@code [ -t 2 ]}), passes {@code -Delectra.stderr.tty}; without it, an interactive console is the best guess.
     */
    static ProgressDisplay onTerminal(PrintWriter err) {
        String tty = System.getProperty("electra.stderr.tty");
        return new ProgressDisplay(err, tty != null ? Boolean.parseBoolean(tty) : System.console() != null, System::nanoTime);
    }

    static ProgressDisplay disabled() {
        return new ProgressDisplay(null, false, System::nanoTime);
    }

    @Override
    public void progress(long bytesDone, long bytesTotal, String current) {
        long now = clock.getAsLong();
        if (!enabled || now - start < SHOW_AFTER_NANOS || (now - lastDraw < REFRESH_NANOS && bytesDone < bytesTotal)) {
            return;
        }
        lastDraw = now;
        double seconds = (now - start) / 1e9;
        double rate = bytesDone / seconds;
        double eta = rate > 0 ? (bytesTotal - bytesDone) / rate : 0;
        err.printf(Locale.ROOT, "\r%6.1f%%  %,d / %,d MB  %.0f MB/s  ETA %.0fs   ", 100.0 * bytesDone / Math.max(1, bytesTotal),
                bytesDone >> 20, bytesTotal >> 20, rate / 1e6, eta);
        err.flush();
        drawn = true;
    }

    void finish() {
        if (drawn) {
            err.println();
            err.flush();
        }
    }
}
