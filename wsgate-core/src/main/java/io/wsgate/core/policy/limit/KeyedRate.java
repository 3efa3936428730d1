package io.wsgate.core.policy.limit;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Token buckets by key, the store {@code rate-limit-by-key} counts handshakes in, for the other policy families
 * that count something else by the same keys ({@code message-rate-limit} counts messages). One bucket per key,
 * created on first use; memory is bounded as for the handshake limits (past {@code maxKeys}, full buckets are
 * dropped). Thread-safe; in this process only.
 *
 * <pre>{@code
 * KeyedRate perUser = KeyedRate.of(100, Duration.ofSeconds(1), Clock.systemUTC(), 100_000);
 * boolean ok = perUser.tryTake("alice");
 * }</pre>
 */
public final class KeyedRate {

    private final KeyedBuckets buckets;

    private KeyedRate(KeyedBuckets buckets) {
        this.buckets = buckets;
    }

    /**
     * @param permits permits per period and key, at least 1
     * @param period  the period, positive (permits come back gradually)
     * @param clock   the time source
     * @param maxKeys how many keys are kept before full (idle) buckets are dropped, at least 1
     * @return empty buckets
     */
    public static KeyedRate of(long permits, Duration period, Clock clock, int maxKeys) {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(clock, "clock");
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1, got " + permits);
        }
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive, got " + period);
        }
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be at least 1, got " + maxKeys);
        }
        return new KeyedRate(new KeyedBuckets(permits, period, false, clock, maxKeys));
    }

    /**
     * Called on any thread.
     *
     * @param key the key
     * @return true when a permit of that key was taken
     */
    public boolean tryTake(String key) {
        return buckets.tryTake(Objects.requireNonNull(key, "key")) == 0;
    }

    /** @return how many keys are tracked now */
    public int size() {
        return buckets.size();
    }
}
