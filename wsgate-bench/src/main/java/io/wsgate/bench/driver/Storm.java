package io.wsgate.bench.driver;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A reconnect storm: N clients connect, each sends one message and waits for its echo; the time from the
 * first connect to the last echo is the storm's length. Handshakes may be capped in flight (paced) or all
 * started at once.
 */
public final class Storm {

    private static final Logger LOG = LoggerFactory.getLogger(Storm.class);
    private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(120);

    /**
     * What one storm measured.
     *
     * @param clients     clients started
     * @param opened      got their 101
     * @param echoed      got their echo back
     * @param errors      failed handshakes plus opened clients whose echo did not come back in time
     * @param stormNanos  from the first connect to the last echo (to the deadline when some never echoed)
     * @param handshake   request to 101, nanoseconds, of the clients that opened
     * @param firstError  the first failure's root cause, empty when none
     */
    public record Result(int clients, long opened, long echoed, long errors, long stormNanos, Histogram handshake,
                         String firstError) {
    }

    private Storm() {
    }

    /**
     * Runs one storm and closes its connections.
     *
     * @param clients  the driver's clients, one per source address
     * @param target   where
     * @param n        how many clients
     * @param inFlight handshakes in flight at most; 0 starts all of them at once
     * @param timeout  how long a handshake may take, and how long the storm waits for its last echo after the
     *                 last connect started
     * @param started  told ({@link Runnable#run()}) just before the first connect, on this thread
     * @return what it measured
     * @throws InterruptedException when interrupted
     */
    public static Result run(Clients clients, LoadTarget target, int n, int inFlight, Duration timeout, Runnable started)
            throws InterruptedException {
        Semaphore permits = new Semaphore(inFlight > 0 ? inFlight : Integer.MAX_VALUE);
        Recorder handshake = new Recorder(MAX_NANOS, 3);
        LongAdder opened = new LongAdder();
        LongAdder echoed = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicLong lastEcho = new AtomicLong();
        CountDownLatch done = new CountDownLatch(n);
        StringBuilder firstError = new StringBuilder();
        ConcurrentLinkedQueue<BenchConnection> conns = new ConcurrentLinkedQueue<>();
        BenchConnection.Listener listener = (c, stamp, now) -> {
            if (c.tag == 0) {
                c.tag = 1;
                lastEcho.accumulateAndGet(now, Math::max);
                echoed.increment();
                done.countDown();
            }
        };
        started.run();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (!permits.tryAcquire(timeout.toMillis() * 2, TimeUnit.MILLISECONDS)) {
                LOG.warn("storm: no handshake finished for {} s after {} clients; stopping there", timeout.toSeconds() * 2, i);
                for (int left = i; left < n; left++) {
                    failed.increment();
                    done.countDown();
                }
                break;
            }
            long c0 = System.nanoTime();
            BenchConnection.open(clients.get(i), target, Payload.MIN_SIZE, listener, timeout).whenComplete((c, failure) -> {
                permits.release();
                if (failure != null) {
                    failed.increment();
                    synchronized (firstError) {
                        if (firstError.length() == 0) {
                            String message = LoadRuns.rootMessage(failure);
                            // Jetty's messages carry the whole connection's state: its first words say enough
                            firstError.append(message, 0, Math.min(message.length(), 120));
                        }
                    }
                    done.countDown();
                } else {
                    handshake.recordValue(Math.min(System.nanoTime() - c0, MAX_NANOS));
                    opened.increment();
                    conns.add(c);
                    c.send(System.nanoTime());
                }
            });
        }
        boolean all = done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        long end = all ? lastEcho.get() : System.nanoTime();
        Histogram hs = handshake.getIntervalHistogram();
        long errors = failed.sum() + (opened.sum() - echoed.sum());
        if (!all) {
            LOG.warn("storm: {} of {} clients had no echo {} s after the last connect started", n - echoed.sum(), n,
                    timeout.toSeconds());
        }
        LoadRuns.closeAll(new ArrayList<>(conns));
        return new Result(n, opened.sum(), echoed.sum(), errors, end - t0, hs, firstError.toString());
    }
}
