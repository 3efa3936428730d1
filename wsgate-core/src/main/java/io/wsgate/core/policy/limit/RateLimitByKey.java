package io.wsgate.core.policy.limit;

import io.wsgate.api.HandshakeContext;
import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.core.error.GatewayError;
import io.wsgate.core.store.FailureMode;
import io.wsgate.core.store.LimitStore;
import io.wsgate.core.store.LocalRateCounter;
import io.wsgate.core.store.RateCounter;
import io.wsgate.core.store.RateSpec;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The rate-limit-by-key and quota-by-key policies: at most {@code permits} handshakes per {@code period} for
 * each key (Bucket4j token buckets, one per key). A rate limit refills gradually and refuses with 429
 * {@code RATE_LIMITED}; a quota refills all at once at the end of each period and refuses with 403
 * {@code QUOTA_EXCEEDED}; both carry {@code Retry-After} in seconds. In memory (the default) the buckets are this
 * policy instance's; on a shared {@link LimitStore} ({@link Builder#store}) they are those of every instance with
 * the same {@link Builder#id id}, so that a cluster of gateways admits what one would. While a shared store fails,
 * its failure mode applies: closed, 503 {@code LIMIT_STORE_UNAVAILABLE}; open, this instance's own buckets count.
 *
 * <pre>{@code
 * HandshakePolicy perUser = RateLimitByKey.rate(10, Duration.ofMinutes(1)).key(RateKey.claim("sub")).build();
 * HandshakePolicy daily   = RateLimitByKey.quota(1000, Duration.ofDays(1)).key(RateKey.subscription()).build();
 * }</pre>
 */
public final class RateLimitByKey implements HandshakePolicy {

    private final boolean quota;
    private final long permits;
    private final Duration period;
    private final RateKey key;
    private final LimitStore store;
    /** The buckets in memory; with a shared store, the fallback of an open failure mode. */
    private final LocalRateCounter buckets;
    /** The shared store's buckets; null in memory. */
    private final RateCounter shared;

    private RateLimitByKey(Builder b) {
        this.quota = b.quota;
        this.permits = b.permits;
        this.period = b.period;
        this.key = b.key;
        this.store = b.store;
        RateSpec spec = new RateSpec(b.id != null ? b.id : name() + ":" + b.permits + "/" + b.period, b.permits, b.period,
                b.quota, b.maxKeys);
        this.buckets = LocalRateCounter.of(spec, b.clock);
        this.shared = b.store.isShared() ? b.store.rateCounter(spec) : null;
    }

    /**
     * @param permits handshakes allowed per period, per key
     * @param period  the period
     * @return a builder of a rate limit (429 {@code RATE_LIMITED})
     */
    public static Builder rate(long permits, Duration period) {
        return new Builder(false, permits, period);
    }

    /**
     * @param permits handshakes allowed per period, per key
     * @param period  the period
     * @return a builder of a quota (403 {@code QUOTA_EXCEEDED})
     */
    public static Builder quota(long permits, Duration period) {
        return new Builder(true, permits, period);
    }

    @Override
    public String name() {
        return quota ? "quota-by-key" : "rate-limit-by-key";
    }

    /** @return the store the buckets are in */
    public LimitStore store() {
        return store;
    }

    /** @return how many keys are tracked in memory now */
    public int trackedKeys() {
        return buckets.size();
    }

    @Override
    public CompletionStage<HandshakeDecision> evaluate(HandshakeContext context) {
        String k = key.of(context).orElse("");
        if (shared == null) {
            return CompletableFuture.completedFuture(decision(buckets.take(k)));
        }
        return shared.tryTake(k).handle((retryAfter, error) -> {
            if (error == null) {
                store.monitor().answered();
                return decision(retryAfter);
            }
            store.monitor().failed("rate", error);
            if (store.failureMode() == FailureMode.OPEN) {
                return decision(buckets.take(k));
            }
            return GatewayError.LIMIT_STORE_UNAVAILABLE.reject().withHeader("Retry-After", "1");
        });
    }

    private HandshakeDecision decision(long retryAfter) {
        if (retryAfter == 0) {
            return HandshakeDecision.proceed();
        }
        GatewayError error = quota ? GatewayError.QUOTA_EXCEEDED : GatewayError.RATE_LIMITED;
        return error.reject().withHeader("Retry-After", Long.toString(retryAfter));
    }

    @Override
    public String toString() {
        return "RateLimitByKey[" + name() + ", " + permits + " per " + period + "]";
    }

    /** Builds a {@link RateLimitByKey}; not thread-safe. */
    public static final class Builder {
        private final boolean quota;
        private final long permits;
        private final Duration period;
        private RateKey key = RateKey.clientIp();
        private Clock clock = Clock.systemUTC();
        private int maxKeys = 100_000;
        private LimitStore store = LimitStore.inMemory();
        private String id;

        private Builder(boolean quota, long permits, Duration period) {
            if (permits < 1) {
                throw new IllegalArgumentException("permits must be at least 1, got " + permits);
            }
            Objects.requireNonNull(period, "period");
            if (period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("period must be positive, got " + period);
            }
            this.quota = quota;
            this.permits = permits;
            this.period = period;
        }

        /** Sets what handshakes are counted under (default: the client's address). */
        public Builder key(RateKey key) {
            this.key = Objects.requireNonNull(key, "key");
            return this;
        }

        /** Sets the time source (default: the system clock); tests drive their own and never sleep. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Keeps the buckets in that store (default {@link LimitStore#inMemory()}, on this builder's clock); a shared
         * one counts for every instance of the gateway.
         */
        public Builder store(LimitStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Names the buckets in a shared store (default: the policy's type, permits and period, e.g.
         * {@code rate-limit-by-key:10/PT1M}): give two policies on one store and gateway their own ids. A gateway
         * file names each entry by its scope, type and options.
         */
        public Builder id(String id) {
            Objects.requireNonNull(id, "id");
            if (id.isBlank()) {
                throw new IllegalArgumentException("id is blank");
            }
            this.id = id;
            return this;
        }

        /** Sets how many keys are kept in memory before full (idle) buckets are dropped (default 100 000). */
        public Builder maxKeys(int maxKeys) {
            if (maxKeys < 1) {
                throw new IllegalArgumentException("maxKeys must be at least 1, got " + maxKeys);
            }
            this.maxKeys = maxKeys;
            return this;
        }

        /** @return the policy */
        public RateLimitByKey build() {
            return new RateLimitByKey(this);
        }
    }
}
