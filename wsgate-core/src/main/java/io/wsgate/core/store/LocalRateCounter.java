package io.wsgate.core.store;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The in-memory counters of a {@link RateSpec}: one Bucket4j bucket per key, created on first use. Memory is
 * bounded: past {@code maxKeys}, buckets that are full again (the same as new ones) are dropped. Thread-safe;
 * {@link #take} answers at once, on the caller's thread (the rate policies call it directly, so the default path
 * of a handshake allocates nothing for the store).
 */
public final class LocalRateCounter implements RateCounter {

    private static final Logger LOG = LoggerFactory.getLogger(LocalRateCounter.class);

    private final long permits;
    private final Duration period;
    private final boolean fixedWindow;
    private final TimeMeter time;
    private final int maxKeys;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    LocalRateCounter(RateSpec spec, Clock clock) {
        this.permits = spec.permits();
        this.period = spec.period();
        this.fixedWindow = spec.quota();
        this.maxKeys = spec.maxKeys();
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                Instant now = clock.instant();
                return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
    }

    /**
     * @param spec  the limit
     * @param clock the time source
     * @return fresh counters of that limit
     */
    public static LocalRateCounter of(RateSpec spec, Clock clock) {
        return new LocalRateCounter(Objects.requireNonNull(spec, "spec"), Objects.requireNonNull(clock, "clock"));
    }

    @Override
    public CompletionStage<Long> tryTake(String key) {
        return CompletableFuture.completedFuture(take(key));
    }

    /**
     * @param key the key
     * @return 0 when a permit was taken; otherwise the whole seconds (at least 1) until one is available
     */
    public long take(String key) {
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            if (buckets.size() >= maxKeys) {
                evictFull();
            }
            bucket = buckets.computeIfAbsent(key, k -> newBucket());
        }
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return 0;
        }
        long nanos = probe.getNanosToWaitForRefill();
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }

    /** @return how many keys are tracked */
    public int size() {
        return buckets.size();
    }

    private void evictFull() {
        int before = buckets.size();
        buckets.entrySet().removeIf(e -> e.getValue().getAvailableTokens() >= permits);
        if (buckets.size() >= maxKeys) {
            LOG.warn("{} keys are being limited at once, beyond the {} expected; memory grows with them", buckets.size(), maxKeys);
        } else {
            LOG.debug("dropped {} idle rate-limit keys", before - buckets.size());
        }
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(limit -> fixedWindow
                        ? limit.capacity(permits).refillIntervally(permits, period)
                        : limit.capacity(permits).refillGreedy(permits, period))
                .withCustomTimePrecision(time)
                .build();
    }
}
