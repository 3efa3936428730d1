package io.wsgate.redis.internal;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.wsgate.core.store.RateCounter;
import io.wsgate.core.store.RateSpec;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A rate limit's or quota's buckets in Redis: Bucket4j's distributed buckets (compare-and-swap in Lua), configured
 * as core's in-memory ones, one per key, expiring once full again. Thread-safe.
 */
public final class RedisRates implements RateCounter {

    private final RedisLink link;
    private final String prefix;
    private final Supplier<CompletableFuture<BucketConfiguration>> configuration;

    /**
     * @param link the connection
     * @param keys the store's key names
     * @param spec the limit
     */
    public RedisRates(RedisLink link, RedisKeys keys, RateSpec spec) {
        this.link = link;
        this.prefix = keys.ratePrefix(spec.id());
        BucketConfiguration config = BucketConfiguration.builder()
                .addLimit(limit -> spec.quota()
                        ? limit.capacity(spec.permits()).refillIntervally(spec.permits(), spec.period())
                        : limit.capacity(spec.permits()).refillGreedy(spec.permits(), spec.period()))
                .build();
        CompletableFuture<BucketConfiguration> ready = CompletableFuture.completedFuture(config);
        this.configuration = () -> ready;
    }

    @Override
    public CompletionStage<Long> tryTake(String key) {
        byte[] name = RedisKeys.bytes(prefix + RedisKeys.hash(key));
        return link.call(c -> c.buckets().builder().build(name, configuration).tryConsumeAndReturnRemaining(1))
                .thenApply(RedisRates::retryAfter);
    }

    private static long retryAfter(ConsumptionProbe probe) {
        if (probe.isConsumed()) {
            return 0;
        }
        return Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
    }
}
