package io.wsgate.core.policy.limit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One Bucket4j bucket per key, created on first use. Memory is bounded: past {@code maxKeys}, buckets that are
 * full again (the same as new ones) are dropped.
 */
final class KeyedBuckets {

    private static final Logger LOG = LoggerFactory.getLogger(KeyedBuckets.class);

    private final long permits;
    private final Duration period;
    private final boolean fixedWindow;
    private final TimeMeter time;
    private final int maxKeys;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    /**
     * @param permits     handshakes per period
     * @param period      the period
     * @param fixedWindow true for a quota (all permits come back at the end of each period), false for a rate
     *                    (permits come back gradually)
     * @param clock       the time source
     * @param maxKeys     how many keys to keep before dropping full buckets
     */
    public KeyedBuckets(long permits, Duration period, boolean fixedWindow, Clock clock, int maxKeys) {
        this.permits = permits;
        this.period = period;
        this.fixedWindow = fixedWindow;
        this.maxKeys = maxKeys;
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
     * @param key the key
     * @return 0 when a permit was taken; otherwise the whole seconds (at least 1) until one is available
     */
    public long tryTake(String key) {
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
