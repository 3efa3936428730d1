package io.wsgate.core.internal.relay;

import io.wsgate.api.PairDeadline;
import io.wsgate.core.Scheduler;
import io.wsgate.core.transport.PairRelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * "Close this pair at": one timer per pair that has a deadline (a token's expiry today), which closes
 * both sides with the deadline's code and reason, and which leaves with the pair. Thread-safe.
 */
public final class PairDeadlines {

    private static final Logger LOG = LoggerFactory.getLogger(PairDeadlines.class);

    /** The timer of each pair that has one, by pair id. */
    private final ConcurrentHashMap<String, Scheduler.Task> timers = new ConcurrentHashMap<>();

    /**
     * Schedules the pair's close. Call {@link #cancel} when the pair ends (before or after this call:
     * a pair that ended meanwhile is caught by {@code stillOpen}).
     *
     * @param pair      the pair
     * @param deadline  when and how to close it
     * @param scheduler runs the timer
     * @param clock     the gateway's clock
     * @param stillOpen true while the pair is among the gateway's pairs, checked after the timer is set
     */
    public void schedule(PairRelay pair, PairDeadline deadline, Scheduler scheduler, Clock clock,
                         java.util.function.BooleanSupplier stillOpen) {
        Scheduler.Task timer = scheduler.schedule(Duration.between(clock.instant(), deadline.at()),
                () -> expired(pair, deadline));
        timers.put(pair.id(), timer);
        if (!stillOpen.getAsBoolean()) {
            // the pair ended while the timer was being set: its cancel may have come before the put
            cancel(pair.id());
        }
    }

    private void expired(PairRelay pair, PairDeadline deadline) {
        timers.remove(pair.id());
        if (!pair.isClosed()) {
            LOG.info("pair {} of API '{}': its deadline passed at {} ({}); closing both sides with {}", pair.id(),
                    pair.api().name(), deadline.at(), deadline.reason(), deadline.code());
            pair.close(deadline.code(), deadline.reason(), deadline.cause());
        }
    }

    /**
     * Cancels a pair's timer, if it has one.
     *
     * @param pairId the pair's id
     */
    public void cancel(String pairId) {
        Scheduler.Task timer = timers.remove(pairId);
        if (timer != null) {
            timer.cancel();
        }
    }

    /** @return how many pairs have a timer pending */
    public int pending() {
        return timers.size();
    }
}
