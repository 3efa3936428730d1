package io.wsgate.core.policy.message;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.local.SynchronizationStrategy;
import io.wsgate.api.BackendRequest;
import io.wsgate.api.CloseStatus;
import io.wsgate.api.ConnectionPair;
import io.wsgate.api.Direction;
import io.wsgate.api.Frame;
import io.wsgate.api.HandshakeContext;
import io.wsgate.api.Headers;
import io.wsgate.api.MessageContext;
import io.wsgate.api.MessagePolicy;
import io.wsgate.api.MessageVerdict;
import io.wsgate.core.policy.limit.RateKey;
import io.wsgate.core.store.LocalRateCounter;
import io.wsgate.core.store.RateSpec;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@code message-rate-limit} policy: at most {@code permits} messages per {@code period} (Bucket4j token
 * buckets, refilled gradually), either per pair and direction (the default) or per key across all the pairs of
 * that key (client IP, a verified claim, a header, the subscription: {@link RateKey}, as for handshake rate
 * limits). A message is counted once, on its first frame; the continuations of a message that went on pass.
 * Over the limit the message is dropped (counted in {@link #dropped()}) or the pair is closed with 1008
 * "message rate exceeded" to the sender (the default).
 *
 * <p>State: a per-pair bucket lives in the instance {@link #open} returns and goes with it; per-key buckets are
 * shared by the pairs of a key and bounded like the handshake ones ({@link Builder#maxKeys}). Forwarding a frame
 * allocates nothing per pair; per key, Bucket4j's shared bucket may allocate a little per message.
 *
 * <pre>{@code
 * MessagePolicy perPair = MessageRateLimit.builder(50, Duration.ofSeconds(1)).build();          // close 1008 beyond
 * MessagePolicy perUser = MessageRateLimit.builder(200, Duration.ofSeconds(1))
 *         .key(RateKey.claim("sub")).onExceed(MessageRateLimit.OnExceed.DROP).build();
 * }</pre>
 *
 * In a gateway file:
 * <pre>{@code
 * onMessage:
 *   - message-rate-limit: { permits: 50, period: 1s, direction: inbound }
 *   - message-rate-limit: { permits: 200, period: 1s, key: { claim: sub }, onExceed: drop }
 * }</pre>
 */
public final class MessageRateLimit implements MessagePolicy {

    /** The close reason beyond the limit. */
    public static final String REASON = "message rate exceeded";

    private static final MessageVerdict EXCEEDED = MessageVerdict.close(CloseStatus.POLICY_VIOLATION, REASON);

    /** What becomes of a message beyond the limit. */
    public enum OnExceed {
        /** The message is not relayed (and counted). */
        DROP,
        /** The pair is closed: 1008 "message rate exceeded" to the sender. */
        CLOSE
    }

    private final long permits;
    private final Duration period;
    private final RateKey key;
    private final OnExceed onExceed;
    private final Clock clock;
    private final ClockTime time;
    private final LocalRateCounter keyed;
    private final LongAdder dropped = new LongAdder();
    private final AtomicInteger open = new AtomicInteger();

    private MessageRateLimit(Builder b) {
        this.permits = b.permits;
        this.period = b.period;
        this.key = b.key;
        this.onExceed = b.onExceed;
        this.clock = b.clock;
        this.time = new ClockTime(b.clock);
        newBucket(); // refuses now, not at the first pair, a rate Bucket4j cannot keep (over 1 per nanosecond)
        this.keyed = b.key == null ? null : LocalRateCounter.of(
                new RateSpec("message-rate-limit", b.permits, b.period, false, b.maxKeys), b.clock);
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(permits).refillGreedy(permits, period))
                .withCustomTimePrecision(time)
                .withSynchronizationStrategy(SynchronizationStrategy.SYNCHRONIZED)
                .build();
    }

    /**
     * @param permits messages allowed per period (per pair and direction, or per key), at least 1
     * @param period  the period, positive
     * @return a builder
     */
    public static Builder builder(long permits, Duration period) {
        return new Builder(permits, period);
    }

    /**
     * Not called by the gateway, which calls {@link #onFrame} only on what {@link #open} returned.
     *
     * @throws IllegalStateException always
     */
    @Override
    public MessageVerdict onFrame(MessageContext context, Frame frame) {
        throw new IllegalStateException("message-rate-limit decides frames through the instance open() returned");
    }

    /** Called when a pair opens: a bucket for it (per pair), or its key (per key). */
    @Override
    public MessagePolicy open(ConnectionPair pair, Direction direction) {
        open.incrementAndGet();
        if (keyed != null) {
            return new PerPair(null, keyOf(pair));
        }
        return new PerPair(newBucket(), null);
    }

    private String keyOf(ConnectionPair pair) {
        HandshakeContext context = new HandshakeContext(pair.requestId(), pair.request(), pair.api(),
                new BackendRequest(pair.backendUri(), Headers.empty(), List.of()), pair.attributes());
        return key.of(context).orElse("");
    }

    /** @return the messages dropped beyond the limit so far, all pairs together (with {@link OnExceed#DROP}) */
    public long dropped() {
        return dropped.sum();
    }

    /** @return the pair directions opened and not yet closed (0 once every pair has ended) */
    public int openPairs() {
        return open.get();
    }

    /** @return the keys tracked now (0 per pair) */
    public int trackedKeys() {
        return keyed == null ? 0 : keyed.size();
    }

    @Override
    public String toString() {
        return "MessageRateLimit[" + permits + " per " + period + (key == null ? " per pair" : " per key")
                + ", " + onExceed.name().toLowerCase(java.util.Locale.ROOT) + "]";
    }

    /** The policy as it applies to one pair in one direction. */
    private final class PerPair implements MessagePolicy {
        private final Bucket bucket;
        private final String key;
        private boolean closed;

        private PerPair(Bucket bucket, String key) {
            this.bucket = bucket;
            this.key = key;
        }

        @Override
        public MessageVerdict onFrame(MessageContext context, Frame frame) {
            if (!frame.first()) {
                return MessageVerdict.forward();
            }
            if (bucket != null ? bucket.tryConsume(1) : keyed.take(key) == 0) {
                return MessageVerdict.forward();
            }
            if (onExceed == OnExceed.DROP) {
                dropped.increment();
                return MessageVerdict.drop();
            }
            return EXCEEDED;
        }

        @Override
        public void closed(ConnectionPair pair) {
            if (!closed) {
                closed = true;
                open.decrementAndGet();
            }
        }

        @Override
        public String toString() {
            return MessageRateLimit.this.toString();
        }
    }

    /** Builds a {@link MessageRateLimit}; not thread-safe. */
    public static final class Builder {
        private final long permits;
        private final Duration period;
        private RateKey key;
        private OnExceed onExceed = OnExceed.CLOSE;
        private Clock clock = Clock.systemUTC();
        private int maxKeys = 100_000;

        private Builder(long permits, Duration period) {
            if (permits < 1) {
                throw new IllegalArgumentException("permits must be at least 1, got " + permits);
            }
            Objects.requireNonNull(period, "period");
            if (period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("period must be positive, got " + period);
            }
            this.permits = permits;
            this.period = period;
        }

        /** Counts per key across pairs instead of per pair (default: per pair and direction). */
        public Builder key(RateKey key) {
            this.key = Objects.requireNonNull(key, "key");
            return this;
        }

        /** Sets what becomes of a message beyond the limit (default {@link OnExceed#CLOSE}). */
        public Builder onExceed(OnExceed onExceed) {
            this.onExceed = Objects.requireNonNull(onExceed, "onExceed");
            return this;
        }

        /** Sets the time source (default: the system clock); tests drive their own and never sleep. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Sets how many keys are kept before full (idle) buckets are dropped (default 100 000; per key only). */
        public Builder maxKeys(int maxKeys) {
            if (maxKeys < 1) {
                throw new IllegalArgumentException("maxKeys must be at least 1, got " + maxKeys);
            }
            this.maxKeys = maxKeys;
            return this;
        }

        /** @return the policy */
        public MessageRateLimit build() {
            return new MessageRateLimit(this);
        }
    }

    /** @return {@code message-rate-limit}, the type a gateway file names it by */
    @Override
    public String name() {
        return "message-rate-limit";
    }
}
