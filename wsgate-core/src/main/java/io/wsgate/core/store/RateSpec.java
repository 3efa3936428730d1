package io.wsgate.core.store;

import java.time.Duration;
import java.util.Objects;

/**
 * One rate limit or quota by key, as a {@link LimitStore} counts it.
 *
 * @param id      names its counters in a shared store: the same in every instance that runs the same policy
 *                (a gateway file's entry gets one from its scope, type and options), different for every other
 * @param permits handshakes per period and key, at least 1
 * @param period  the period, positive
 * @param quota   true: every permit comes back at the end of each period (a quota); false: they come back
 *                gradually (a rate)
 * @param maxKeys how many keys an in-memory counter keeps before dropping full buckets (a shared store lets
 *                idle keys expire instead)
 */
public record RateSpec(String id, long permits, Duration period, boolean quota, int maxKeys) {

    /** Checks the values. */
    public RateSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(period, "period");
        if (id.isBlank()) {
            throw new IllegalArgumentException("id is blank");
        }
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1, got " + permits);
        }
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive, got " + period);
        }
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be at least 1, got " + maxKeys);
        }
    }
}
