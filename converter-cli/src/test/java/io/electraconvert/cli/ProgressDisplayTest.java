package io.electraconvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The progress line, driven by a fake clock (no timing in the test itself). */
class ProgressDisplayTest {
    private long now;

    private String run(boolean terminal, long... stepsNanos) {
        StringWriter out = new StringWriter();
        ProgressDisplay display = new ProgressDisplay(new PrintWriter(out), terminal, () -> now);
        long total = 1000L << 20;
        long done = 0;
        for (long step : stepsNanos) {
            now += step;
            done += 100L << 20;
            display.progress(done, total, "t");
        }
        display.finish();
        return out.toString();
    }

    @Test
    void quietDuringTheFirstSecond() {
        now = 0;
        assertEquals("", run(true, 100_000_000L, 300_000_000L, 500_000_000L));
    }

    @Test
    void showsPercentBytesRateAndEtaAfterASecond() {
        now = 0;
        String out = run(true, 600_000_000L, 600_000_000L, 200_000_000L);
        assertTrue(out.contains("\r  20.0%  200 / 1,000 MB  175 MB/s  ETA 5s"), out);
        assertTrue(out.contains("\r  30.0%  300 / 1,000 MB  225 MB/s  ETA 3s"), out);
        assertTrue(out.endsWith(System.lineSeparator()), "the line is closed when done");
    }

    @Test
    void nothingWhenStderrIsNotATerminal() {
        now = 0;
        assertEquals("", run(false, 2_000_000_000L, 2_000_000_000L));
    }
}
