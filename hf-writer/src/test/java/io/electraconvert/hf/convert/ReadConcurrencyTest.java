package io.electraconvert.hf.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadConcurrencyTest {
    private static final long MIB = 1 << 20;

    /** 16 MiB in {@code millis}: 16 ms is 1 GB/s (a disk), 2 ms is 8 GB/s (the page cache). */
    private static void load(ReadConcurrency c, long millis) {
        c.enter(c.ticket());
        c.exit(16 * MIB, TimeUnit.MILLISECONDS.toNanos(millis));
    }

    /** Loads at {@code millis} per 16 MiB until the allowed count is no longer {@code from}; how many it took. */
    private static int loadsUntilChange(ReadConcurrency c, long millis, int from) {
        int n = 0;
        while (c.allowed() == from && n < 20) {
            load(c, millis);
            n++;
        }
        return n;
    }

    @Test
    void oneLoadAtATimeUntilReadsLookLikeADiskAndBackWhenTheyLookLikeMemory() {
        ReadConcurrency c = new ReadConcurrency(4);
        assertEquals(1, c.allowed(), "starts with one");
        load(c, 2);
        assertEquals(1, c.allowed(), "page-cache speed keeps one");
        load(c, 16);
        assertEquals(1, c.allowed(), "a single slow read among fast ones is smoothed away");
        int slow = loadsUntilChange(c, 16, 1);
        assertEquals(4, c.allowed(), "sustained disk-speed reads open up to the maximum");
        assertTrue(slow >= 2 && slow <= 8, "after a few slow reads: " + slow);
        load(c, 2);
        assertEquals(4, c.allowed(), "one fast read does not switch back (hysteresis)");
        int fast = loadsUntilChange(c, 2, 4);
        assertEquals(1, c.allowed(), "memory speed again: back to one");
        assertTrue(fast <= 3, "after a few fast reads: " + fast);
        c.enter(c.ticket());
        c.exit(MIB - 1, TimeUnit.SECONDS.toNanos(1));
        assertEquals(1, c.allowed(), "reads under 1 MiB measure system calls, not bandwidth, and are ignored");
        ReadConcurrency cold = new ReadConcurrency(4);
        load(cold, 40);
        assertEquals(4, cold.allowed(), "a first slow sample decides at once");
    }

    /** Result of {@link #race}: most loads at once, and the loads in the order they got in. */
    private record Race(int most, List<Integer> admitted) {}

    /**
     * Forty loads submitted in ticket order (as ReadAhead schedules them) to eight threads that reach the gate in
     * scrambled order; every seventh skips its turn. (Submitting out of ticket order could leave every thread
     * waiting for a ticket still queued behind them; ReadAhead takes tickets as it submits.)
     */
    private static Race race(ReadConcurrency c) throws InterruptedException {
        long[] tickets = new long[40];
        for (int i = 0; i < tickets.length; i++) {
            tickets[i] = c.ticket();
        }
        long[] delays = new Random(9).longs(tickets.length, 0, 3).toArray();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Integer> admitted = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(tickets.length);
        for (int n = 0; n < tickets.length; n++) {
            int i = n;
            pool.execute(() -> {
                try {
                    Thread.sleep(delays[i]); // reach the gate out of order
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
                if (i % 7 == 3) {
                    c.skip(tickets[i]);
                } else {
                    c.enter(tickets[i]);
                    admitted.add(i);
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException ignored) {
                        Thread.currentThread().interrupt();
                    }
                    running.decrementAndGet();
                    c.exit(0, 0); // no sample: the limit stays
                }
                done.countDown();
            });
        }
        assertTrue(done.await(30, TimeUnit.SECONDS), "every load entered or skipped");
        pool.shutdown();
        return new Race(most.get(), admitted);
    }

    @Test
    void oneAtATimeLoadsEnterInTicketOrderAndSkipsPassTheirTurn() throws Exception {
        Race race = race(new ReadConcurrency(3)); // no sample yet: one at a time, so the list order is the entry order
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            if (i % 7 != 3) {
                expected.add(i);
            }
        }
        assertEquals(1, race.most());
        assertEquals(expected, race.admitted(), "admitted in ticket order, skipped tickets passed over");
    }

    @Test
    void neverMoreLoadsAtOnceThanAllowed() throws Exception {
        ReadConcurrency c = new ReadConcurrency(3);
        load(c, 50); // disk speed: up to 3
        Race race = race(c);
        assertEquals(3, race.most(), "three at once, never four");
        assertEquals(34, race.admitted().size());
    }
}
