package io.wsgate.core.internal.relay;

import io.wsgate.api.ApiLimits;
import io.wsgate.api.CloseCause;
import io.wsgate.api.CloseStatus;
import io.wsgate.api.PairDeadline;
import io.wsgate.core.Scheduler;
import io.wsgate.core.transport.PairRelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

/**
 * The timers of the established pairs, each of which leaves with its pair. Thread-safe.
 *
 * <ul>
 *   <li>"Close this pair at": one timer per pair that has a deadline, the earlier of its token's expiry (a
 *       {@link PairDeadline} a policy left, when the API enforces it) and its API's maximum lifetime (less a
 *       random jitter of up to 10%); it closes both sides with the deadline's code and reason.</li>
 *   <li>The keepalive checker of each pair whose API has keepalive on ({@link PairKeepAlive}).</li>
 * </ul>
 */
public final class PairDeadlines {

    private static final Logger LOG = LoggerFactory.getLogger(PairDeadlines.class);

    /** The reason a pair closed at its maximum lifetime gets. */
    static final String LIFETIME_REASON = "Maximum connection lifetime reached";

    /** The timer of each pair that has one, by pair id. */
    private final ConcurrentHashMap<String, Scheduler.Task> timers = new ConcurrentHashMap<>();
    /** The keepalive of each pair that has one, by pair id. */
    private final ConcurrentHashMap<String, PairKeepAlive> keepAlives = new ConcurrentHashMap<>();

    /**
     * Starts the timers of a pair just established: its deadline, if it has one, and its keepalive. Call
     * {@link #cancel} when the pair ends (before or after this call: a pair that ended meanwhile is caught by
     * {@code stillOpen}).
     *
     * @param pair      the pair
     * @param scheduler runs the timers
     * @param clock     the gateway's clock
     * @param random    the source of the lifetime's jitter
     * @param stillOpen true while the pair is among the gateway's pairs, checked after the timers are set
     */
    public void open(PairRelay pair, Scheduler scheduler, Clock clock, RandomGenerator random, BooleanSupplier stillOpen) {
        Optional<PairDeadline> token = pair.api().enforceTokenExpiry()
                && pair.attributes().get(PairDeadline.ATTRIBUTE) instanceof PairDeadline d ? Optional.of(d) : Optional.empty();
        Optional<PairDeadline> lifetime = lifetime(pair, random);
        Optional<PairDeadline> deadline = token.isEmpty() ? lifetime : lifetime.isEmpty() ? token
                : Optional.of(token.get().at().isAfter(lifetime.get().at()) ? lifetime.get() : token.get());
        if (deadline.isPresent()) {
            schedule(pair, deadline.get(), scheduler, clock, stillOpen);
        }
        if (pair instanceof DefaultPairRelay relay && relay.keepAlive() != null) {
            PairKeepAlive keepAlive = relay.keepAlive();
            keepAlives.put(pair.id(), keepAlive);
            keepAlive.start(scheduler, clock);
            if (!stillOpen.getAsBoolean()) {
                cancel(pair.id());
            }
        }
    }

    /**
     * @return the close at the pair's maximum lifetime, earlier by {@code random.nextDouble()} times a tenth of it;
     *         empty when its API has none (or one too far off to be a time)
     */
    static Optional<PairDeadline> lifetime(PairRelay pair, RandomGenerator random) {
        ApiLimits limits = pair.api().limits();
        if (!limits.hasMaxLifetime()) {
            return Optional.empty();
        }
        Duration max = limits.maxLifetime();
        double share = Math.min(1, Math.max(0, random.nextDouble()));
        try {
            Duration jitter = Duration.ofMillis((long) (share * max.toMillis() / 10));
            Instant at = pair.openedAt().plus(max.minus(jitter));
            return Optional.of(new PairDeadline(at, CloseStatus.GOING_AWAY, LIFETIME_REASON, CloseCause.LIFETIME));
        } catch (ArithmeticException | DateTimeException e) {
            return Optional.empty();
        }
    }

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
                         BooleanSupplier stillOpen) {
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
     * Cancels a pair's timers, if it has any.
     *
     * @param pairId the pair's id
     */
    public void cancel(String pairId) {
        Scheduler.Task timer = timers.remove(pairId);
        if (timer != null) {
            timer.cancel();
        }
        PairKeepAlive keepAlive = keepAlives.remove(pairId);
        if (keepAlive != null) {
            keepAlive.cancel();
        }
    }

    /** @return how many timers of pairs are pending: deadlines and keepalive checkers */
    public int pending() {
        return timers.size() + keepAlives.size();
    }
}
