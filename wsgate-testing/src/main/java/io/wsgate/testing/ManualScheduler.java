package io.wsgate.testing;

import io.wsgate.core.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} and its {@link Clock} that only move when a test says so: give both to the gateway
 * ({@code GatewayConfig.builder().clock(time.clock()).scheduler(time)}), then {@link #advance} the time; the
 * tasks that fall due run on the calling thread (the test's), in due order. Nothing ever sleeps. Thread-safe:
 * the gateway schedules from its own threads while the test advances.
 *
 * <pre>{@code
 * ManualScheduler time = ManualScheduler.startingAt(Instant.now());
 * // ... a pair admitted on a token that expires in 60 s
 * time.advance(Duration.ofSeconds(91));   // exp + 30 s of clock skew passed: the pair is closed with 1008
 * assertThat(time.pending()).isZero();
 * }</pre>
 */
public final class ManualScheduler implements Scheduler {

    private static final Logger LOG = LoggerFactory.getLogger(ManualScheduler.class);

    private final Object lock = new Object();
    private final PriorityQueue<Entry> queue = new PriorityQueue<>();
    private final Clock clock = new ManualClock();
    private Instant now;
    private long sequence;

    private ManualScheduler(Instant start) {
        this.now = start;
    }

    /**
     * @param start the time the clock shows until advanced
     * @return a scheduler with no task
     */
    public static ManualScheduler startingAt(Instant start) {
        return new ManualScheduler(Objects.requireNonNull(start, "start"));
    }

    /** @return the clock this scheduler moves (UTC) */
    public Clock clock() {
        return clock;
    }

    /** @return the time now */
    public Instant now() {
        synchronized (lock) {
            return now;
        }
    }

    @Override
    public Task schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(task, "task");
        Entry entry;
        synchronized (lock) {
            Instant due = delay.isNegative() ? now : now.plus(delay);
            entry = new Entry(due, sequence++, task);
            queue.add(entry);
        }
        return () -> {
            synchronized (lock) {
                queue.remove(entry);
            }
        };
    }

    /**
     * Moves the clock forward and runs, on this thread, every task due by the new time (also those the tasks
     * schedule, when due).
     *
     * @param amount how far; not negative
     * @return how many tasks ran
     */
    public int advance(Duration amount) {
        Objects.requireNonNull(amount, "amount");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("time only moves forward, got " + amount);
        }
        synchronized (lock) {
            now = now.plus(amount);
        }
        return runDue();
    }

    /**
     * Runs, on this thread, every task due now.
     *
     * @return how many ran
     */
    public int runDue() {
        int ran = 0;
        while (true) {
            Entry next;
            synchronized (lock) {
                next = queue.peek();
                if (next == null || next.due.isAfter(now)) {
                    return ran;
                }
                queue.poll();
            }
            ran++;
            try {
                next.task.run();
            } catch (RuntimeException e) {
                LOG.warn("a scheduled task failed", e);
            }
        }
    }

    /** @return how many tasks are scheduled and neither run nor cancelled */
    public int pending() {
        synchronized (lock) {
            return queue.size();
        }
    }

    /** @return when each pending task is due, earliest first */
    public List<Instant> dueTimes() {
        synchronized (lock) {
            List<Entry> entries = new ArrayList<>(queue);
            entries.sort(null);
            return entries.stream().map(e -> e.due).toList();
        }
    }

    @Override
    public String toString() {
        return "ManualScheduler[now=" + now() + ", pending=" + pending() + "]";
    }

    private record Entry(Instant due, long sequence, Runnable task) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry o) {
            int c = due.compareTo(o.due);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }

    private final class ManualClock extends Clock {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            if (ZoneOffset.UTC.equals(zone)) {
                return this;
            }
            throw new UnsupportedOperationException("a manual clock is in UTC");
        }

        @Override
        public Instant instant() {
            return now();
        }
    }
}
