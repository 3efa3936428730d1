package io.wsgate.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs the gateway's own timed work: a pair's deadline (a token's expiry, or any {@code PairDeadline} a
 * policy left), a drain's batches and timeout ({@link Gateway#drain}) and, in the Jetty adapter, each connection's close-handshake deadline (5 s for the peer's
 * answer to a close frame). No frame waits on it: its tasks only close things. The default, {@link #jdk()}, is one daemon thread shared by every gateway of the
 * process; tests give a {@code ManualScheduler} (wsgate-testing) they advance by hand, together with its clock.
 */
@FunctionalInterface
public interface Scheduler {

    /**
     * Runs a task once after a delay. The task must be short and must not block.
     *
     * @param delay how long from now; zero or negative: as soon as possible
     * @param task  what to run
     * @return the handle that cancels the task if it has not run yet
     */
    Task schedule(Duration delay, Runnable task);

    /** @return the shared default: one daemon thread ({@code wsgate-scheduler}), started on first use */
    static Scheduler jdk() {
        return JdkScheduler.Holder.INSTANCE;
    }

    /** A scheduled task. */
    @FunctionalInterface
    interface Task {
        /** Cancels the task if it has not run yet; calling it again, or after the task ran, does nothing. */
        void cancel();
    }
}

/** {@link Scheduler#jdk()}: a single-thread {@link ScheduledThreadPoolExecutor} that forgets cancelled tasks at once. */
final class JdkScheduler implements Scheduler {

    private static final Logger LOG = LoggerFactory.getLogger(JdkScheduler.class);
    /** The longest delay a {@code ScheduledThreadPoolExecutor} takes in nanoseconds (about 292 years). */
    private static final Duration LONGEST = Duration.ofNanos(Long.MAX_VALUE);

    static final class Holder {
        static final JdkScheduler INSTANCE = new JdkScheduler();

        private Holder() {
        }
    }

    private final ScheduledThreadPoolExecutor executor;

    private JdkScheduler() {
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "wsgate-scheduler");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public Task schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(task, "task");
        long nanos = delay.isNegative() ? 0 : delay.compareTo(LONGEST) > 0 ? Long.MAX_VALUE : delay.toNanos();
        ScheduledFuture<?> future = executor.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("a scheduled gateway task failed", e);
            }
        }, nanos, TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public String toString() {
        return "Scheduler.jdk()[" + executor.getQueue().size() + " pending]";
    }
}
