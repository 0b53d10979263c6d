package io.electraconvert.hf.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

    /** A load on its own thread: enters with its ticket, records itself, then holds its slot until released. */
    private static final class Load extends Thread {
        private final ReadConcurrency gate;
        private final long ticket;
        private final List<Long> admitted;
        private final CountDownLatch release = new CountDownLatch(1);

        Load(ReadConcurrency gate, long ticket, List<Long> admitted) {
            super("load-" + ticket);
            setDaemon(true);
            this.gate = gate;
            this.ticket = ticket;
            this.admitted = admitted;
        }

        @Override
        public void run() {
            gate.enter(ticket);
            admitted.add(ticket);
            try {
                release.await();
            } catch (InterruptedException e) {
                return;
            }
            gate.exit(0, 0); // no sample: the limit stays
        }
    }

    /**
     * Loads for the given tickets, started in the scrambled order given (loader threads reach the gate out of
     * order). The tests move them with latches and never wait for time to pass: see {@link #assertAdmitted}.
     */
    private static List<Load> start(ReadConcurrency gate, long[] tickets, int[] startOrder, List<Long> admitted) {
        List<Load> loads = new ArrayList<>();
        for (long t : tickets) {
            loads.add(new Load(gate, t, admitted));
        }
        for (int i : startOrder) {
            loads.get(i).start();
        }
        return loads;
    }

    /**
     * Waits until as many loads as {@code expected} have entered and every thread is blocked (waiting to enter or
     * holding its slot) or done, then requires exactly the expected tickets. With a correct gate nothing else can
     * enter once those have, so this never fails by timing; a gate that lets a load in out of turn or past the limit
     * shows it as a different or longer list. Loads inside the gate together record themselves in any order, so
     * {@code ordered} is only for loads that entered one at a time.
     */
    private static void assertAdmitted(List<Long> expected, boolean ordered, List<Long> admitted, List<Load> loads,
                                       String when) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (admitted.size() < expected.size()) {
            assertTrue(System.nanoTime() < deadline, when + ": only " + admitted + " entered");
            Thread.onSpinWait();
        }
        for (Load load : loads) {
            while (load.getState() != Thread.State.WAITING && load.getState() != Thread.State.TERMINATED) {
                assertTrue(System.nanoTime() < deadline, when + ": " + load.getName() + " is " + load.getState());
                Thread.onSpinWait();
            }
        }
        synchronized (admitted) {
            assertEquals(expected, ordered ? List.copyOf(admitted) : admitted.stream().sorted().toList(), when);
        }
    }

    private static long[] tickets(ReadConcurrency gate, int n) {
        long[] tickets = new long[n];
        for (int i = 0; i < n; i++) {
            tickets[i] = gate.ticket();
        }
        return tickets;
    }

    private static void finish(List<Load> loads) throws InterruptedException {
        loads.forEach(l -> l.release.countDown());
        for (Load load : loads) {
            load.join(TimeUnit.SECONDS.toMillis(20));
            assertEquals(Thread.State.TERMINATED, load.getState(), load.getName());
        }
    }

    @Test
    void oneAtATimeLoadsEnterInTicketOrderAndSkipsPassTheirTurn() throws Exception {
        ReadConcurrency gate = new ReadConcurrency(3); // no sample yet: one at a time
        long[] tickets = tickets(gate, 8);
        gate.skip(tickets[4]); // a load cancelled before its turn
        List<Long> admitted = Collections.synchronizedList(new ArrayList<>());
        List<Load> loads = start(gate, new long[] {0, 1, 2, 3, 5, 6, 7}, new int[] {4, 2, 6, 0, 5, 3, 1}, admitted);
        List<Long> order = List.of(0L, 1L, 2L, 3L, 5L, 6L, 7L);
        for (int i = 0; i < loads.size(); i++) {
            assertAdmitted(order.subList(0, i + 1), true, admitted, loads, i + " released");
            loads.get(i).release.countDown();
        }
        finish(loads);
    }

    @Test
    void neverMoreLoadsAtOnceThanAllowed() throws Exception {
        ReadConcurrency gate = new ReadConcurrency(3);
        load(gate, 50); // disk speed: up to 3 at once
        assertEquals(3, gate.allowed());
        List<Long> admitted = Collections.synchronizedList(new ArrayList<>());
        long[] t = tickets(gate, 8);
        List<Load> loads = start(gate, t, new int[] {5, 2, 7, 0, 6, 3, 1, 4}, admitted);
        assertAdmitted(List.of(t[0], t[1], t[2]), false, admitted, loads, "three at once, never four");
        loads.get(1).release.countDown(); // one slot frees: the next ticket, and only it, gets in
        assertAdmitted(List.of(t[0], t[1], t[2], t[3]), false, admitted, loads, "a slot freed");
        finish(loads);
    }
}
