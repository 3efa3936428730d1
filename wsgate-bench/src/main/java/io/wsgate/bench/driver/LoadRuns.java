package io.wsgate.bench.driver;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/** The load modes. Each opens its connections, warms up, measures inside a {@link Window}, and closes everything. */
public final class LoadRuns {

    private static final Logger LOG = LoggerFactory.getLogger(LoadRuns.class);
    private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(60);

    private LoadRuns() {
    }

    /**
     * Closed loop: every connection sends its next message as soon as the previous one is back.
     *
     * @param clients     the driver's clients
     * @param target      where
     * @param connections how many connections, each with one message outstanding
     * @param size        message size in bytes
     * @param warmup      load before the window opens
     * @param measure     the window
     * @param window      told when the window opens and closes
     * @return messages round-tripped in the window and their round-trip times
     * @throws Exception when the connections cannot be opened
     */
    public static RunResult throughput(Clients clients, LoadTarget target, int connections, int size,
                                       Duration warmup, Duration measure, Window window) throws Exception {
        Recorder recorder = new Recorder(MAX_NANOS, 3);
        AtomicLong count = new AtomicLong();
        AtomicLong inFlight = new AtomicLong();
        AtomicBoolean stopping = new AtomicBoolean();
        BenchConnection.Listener listener = (c, stamp, now) -> {
            if (stamp > 0) {
                recorder.recordValue(Math.min(Math.max(now - stamp, 0), MAX_NANOS));
            }
            count.incrementAndGet();
            if (stopping.get()) {
                inFlight.decrementAndGet();
            } else {
                c.send(System.nanoTime());
            }
        };
        List<BenchConnection> conns = openAll(clients, target, connections, size, listener);
        long errors0 = BenchConnection.ERRORS.sum();
        try {
            inFlight.set(conns.size());
            for (BenchConnection c : conns) {
                c.send(System.nanoTime());
            }
            sleep(warmup);
            window.opened();
            long t0 = System.nanoTime();
            long n0 = count.get();
            recorder.getIntervalHistogram();
            sleep(measure);
            long n1 = count.get();
            Histogram histogram = recorder.getIntervalHistogram();
            long t1 = System.nanoTime();
            window.closed();
            stopping.set(true);
            awaitZero(inFlight, Duration.ofSeconds(5));
            return new RunResult(n1 - n0, t1 - t0, histogram, histogram, BenchConnection.ERRORS.sum() - errors0, n1 - n0);
        } finally {
            closeAll(conns);
        }
    }

    /**
     * Open loop at a fixed rate over all connections; latency counts from each message's intended
     * send time, so a stall is charged to every message it delays (no coordinated omission).
     *
     * @param clients     the driver's clients
     * @param target      where
     * @param connections how many connections the messages are spread over (round robin)
     * @param size        message size in bytes
     * @param rate        messages per second offered in total
     * @param warmup      load before the window opens
     * @param measure     the window
     * @param window      told when the window opens and closes
     * @return messages whose intended send time fell in the window and came back, their latency, and those that did not
     * @throws Exception when the connections cannot be opened
     */
    public static RunResult fixedRate(Clients clients, LoadTarget target, int connections, int size, double rate,
                                      Duration warmup, Duration measure, Window window) throws Exception {
        Recorder recorder = new Recorder(MAX_NANOS, 3);
        LongAdder received = new LongAdder();
        long period = Math.max(1, Math.round(1e9 / rate));
        // the window is fixed once the connections are open; until then nothing is recorded
        AtomicLong windowStart = new AtomicLong(Long.MAX_VALUE);
        AtomicLong windowEnd = new AtomicLong(Long.MIN_VALUE);
        BenchConnection.Listener listener = (c, stamp, now) -> {
            if (stamp >= windowStart.get() && stamp < windowEnd.get()) {
                recorder.recordValue(Math.min(Math.max(now - stamp, 0), MAX_NANOS));
                received.increment();
            }
        };
        List<BenchConnection> conns = openAll(clients, target, connections, size, listener);
        long errors0 = BenchConnection.ERRORS.sum();
        try {
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
            windowEnd.set(start + warmup.toNanos() + measure.toNanos());
            windowStart.set(start + warmup.toNanos());
            long offered = pace(conns, period, start, windowStart.get(), windowEnd.get(), window);
            awaitAtLeast(received, offered, Duration.ofSeconds(3));
            Histogram histogram = recorder.getIntervalHistogram();
            long got = received.sum();
            return new RunResult(got, windowEnd.get() - windowStart.get(), histogram, histogram,
                    (offered - got) + BenchConnection.ERRORS.sum() - errors0, offered);
        } finally {
            closeAll(conns);
        }
    }

    /** Sends on schedule from this thread; returns how many intended send times fell in the window. */
    private static long pace(List<BenchConnection> conns, long period, long start, long windowStart, long windowEnd,
                             Window window) {
        long offered = 0;
        boolean opened = false;
        int n = conns.size();
        for (long i = 0; ; i++) {
            long intended = start + i * period;
            if (intended >= windowEnd) {
                break;
            }
            if (!opened && intended >= windowStart) {
                window.opened();
                opened = true;
            }
            long now;
            while ((now = System.nanoTime()) < intended) {
                LockSupport.parkNanos(intended - now);
            }
            conns.get((int) (i % n)).send(intended);
            if (intended >= windowStart) {
                offered++;
            }
        }
        long now;
        while ((now = System.nanoTime()) < windowEnd) {
            LockSupport.parkNanos(windowEnd - now);
        }
        window.closed();
        return offered;
    }

    /**
     * Connect and close as fast as possible from several lanes in parallel.
     *
     * @param clients  the driver's clients
     * @param target   where (with a bearer token for the JWT variant)
     * @param parallel how many lanes
     * @param warmup   load before the window opens
     * @param measure  the window
     * @param window   told when the window opens and closes
     * @return handshakes (connect + close) completed in the window, handshake time (request to 101) and cycle time
     * @throws Exception when interrupted
     */
    public static RunResult handshakes(Clients clients, LoadTarget target, int parallel, Duration warmup,
                                       Duration measure, Window window) throws Exception {
        Recorder handshake = new Recorder(MAX_NANOS, 3);
        Recorder cycle = new Recorder(MAX_NANOS, 3);
        AtomicLong count = new AtomicLong();
        LongAdder errors = new LongAdder();
        AtomicBoolean stopping = new AtomicBoolean();
        AtomicLong lanes = new AtomicLong(parallel);
        ExecutorService relauncher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "handshake-lanes");
            t.setDaemon(true);
            return t;
        });
        BenchConnection.Listener ignore = (c, stamp, now) -> {
        };
        try {
            for (int lane = 0; lane < parallel; lane++) {
                int l = lane;
                relauncher.execute(() -> handshakeLane(clients, target, l, handshake, cycle, count, errors, stopping,
                        lanes, relauncher, ignore));
            }
            sleep(warmup);
            window.opened();
            long t0 = System.nanoTime();
            long n0 = count.get();
            long e0 = errors.sum();
            handshake.getIntervalHistogram();
            cycle.getIntervalHistogram();
            sleep(measure);
            long n1 = count.get();
            long e1 = errors.sum();
            Histogram hs = handshake.getIntervalHistogram();
            Histogram cy = cycle.getIntervalHistogram();
            long t1 = System.nanoTime();
            window.closed();
            stopping.set(true);
            awaitZero(lanes, Duration.ofSeconds(10));
            return new RunResult(n1 - n0, t1 - t0, hs, cy, e1 - e0, n1 - n0);
        } finally {
            stopping.set(true);
            relauncher.shutdown();
        }
    }

    private static void handshakeLane(Clients clients, LoadTarget target, int lane, Recorder handshake, Recorder cycle,
                                      AtomicLong count, LongAdder errors, AtomicBoolean stopping, AtomicLong lanes,
                                      Executor relauncher, BenchConnection.Listener ignore) {
        if (stopping.get()) {
            lanes.decrementAndGet();
            return;
        }
        long t0 = System.nanoTime();
        BenchConnection.open(clients.get(lane), target, Payload.MIN_SIZE, ignore)
                .thenCompose(c -> {
                    handshake.recordValue(Math.min(System.nanoTime() - t0, MAX_NANOS));
                    return c.close();
                })
                .orTimeout(20, TimeUnit.SECONDS)
                .whenCompleteAsync((status, failure) -> {
                    if (failure != null) {
                        errors.increment();
                        if (errors.sum() % 1000 == 1) {
                            LOG.warn("handshake failed: {}", rootMessage(failure));
                        }
                    } else {
                        cycle.recordValue(Math.min(System.nanoTime() - t0, MAX_NANOS));
                        count.incrementAndGet();
                    }
                    handshakeLane(clients, target, lane, handshake, cycle, count, errors, stopping, lanes, relauncher,
                            ignore);
                }, relauncher);
    }

    /** Failed connections after which the concurrency mode stops opening more. */
    public static final int CONCURRENCY_MAX_FAILURES = 100;

    /**
     * Opens up to {@code pairs} idle connections (a bounded number of handshakes in flight), each
     * verified with one echo, then runs {@code whileHeld} and releases them.
     *
     * @param clients   the driver's clients, one per source address
     * @param target    where
     * @param pairs     how many connections to hold
     * @param inFlight  handshakes in flight at once
     * @param whileHeld run once every connection is open and verified (measures memory)
     * @return how many opened, echoed and were still open after {@code whileHeld}; it stops opening after 30 s
     *         without progress or {@value #CONCURRENCY_MAX_FAILURES} failed connections (a proxy out of memory
     *         or refusing: each further connection would only wait for its timeout)
     * @throws Exception when interrupted
     */
    public static ConcurrencyResult concurrency(Clients clients, LoadTarget target, int pairs, int inFlight,
                                                Runnable whileHeld) throws Exception {
        Semaphore permits = new Semaphore(inFlight);
        LongAdder opened = new LongAdder();
        LongAdder verified = new LongAdder();
        LongAdder failed = new LongAdder();
        ConcurrentLinkedQueue<BenchConnection> conns = new ConcurrentLinkedQueue<>();
        BenchConnection.Listener listener = (c, stamp, now) -> {
            if (c.tag == 0) {
                c.tag = 1;
                verified.increment();
                permits.release();
            }
        };
        long t0 = System.nanoTime();
        int started = 0;
        try {
            for (; started < pairs; started++) {
                if (!permits.tryAcquire(30, TimeUnit.SECONDS)) {
                    LOG.warn("concurrency: no progress for 30 s after {} connections; stopping there", started);
                    break;
                }
                if (failed.sum() >= CONCURRENCY_MAX_FAILURES) {
                    permits.release();
                    LOG.warn("concurrency: {} connections failed after {} started; stopping there", failed.sum(), started);
                    break;
                }
                BenchConnection.open(clients.get(started), target, 64, listener).whenComplete((c, failure) -> {
                    if (failure != null) {
                        failed.increment();
                        if (failed.sum() % 500 == 1) {
                            LOG.warn("concurrency: connection failed: {}", rootMessage(failure));
                        }
                        permits.release();
                    } else {
                        opened.increment();
                        conns.add(c);
                        c.send(System.nanoTime());
                    }
                });
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (verified.sum() + failed.sum() < started && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            long openNanos = System.nanoTime() - t0;
            whileHeld.run();
            long alive = conns.stream().filter(BenchConnection::isOpen).count();
            return new ConcurrencyResult(pairs, opened.sum(), verified.sum(), failed.sum(), alive, openNanos);
        } finally {
            closeAll(new ArrayList<>(conns));
        }
    }

    /** Opens connections, a bounded number of handshakes at a time. */
    static List<BenchConnection> openAll(Clients clients, LoadTarget target, int n, int size,
                                         BenchConnection.Listener listener) throws Exception {
        List<CompletableFuture<BenchConnection>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(BenchConnection.open(clients.get(i), target, size, listener));
        }
        List<BenchConnection> conns = new ArrayList<>();
        Exception first = null;
        for (CompletableFuture<BenchConnection> f : futures) {
            try {
                conns.add(f.get(30, TimeUnit.SECONDS));
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            closeAll(conns);
            throw new IllegalStateException("could not open " + (n - conns.size()) + " of " + n + " connections to "
                    + target.uri() + ": " + rootMessage(first), first);
        }
        return conns;
    }

    /** Closes connections and waits (bounded) for their close handshakes; aborts the rest. */
    static void closeAll(List<BenchConnection> conns) {
        List<CompletableFuture<?>> closing = new ArrayList<>(conns.size());
        for (BenchConnection c : conns) {
            closing.add(c.close());
        }
        try {
            CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            long open = closing.stream().filter(f -> !f.isDone()).count();
            LOG.warn("{} connections did not finish closing in 30 s; aborting them", open);
            conns.forEach(BenchConnection::abort);
        } catch (Exception e) {
            conns.forEach(BenchConnection::abort);
        }
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(Math.max(0, d.toMillis()));
    }

    private static void awaitZero(AtomicLong value, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (value.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    private static void awaitAtLeast(LongAdder value, long target, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (value.sum() < target && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
