package io.wsgate.core.policy.limit;

import io.wsgate.api.HandshakeContext;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts concurrent connection pairs per gateway, per API and per key, and hands out permits within the
 * limits. The flow takes a permit once the policy chain admitted a handshake ({@link #tryAcquire}; none: 429
 * {@code CONNECTION_LIMIT}) and releases it exactly once when the exchange ends, whatever way (backend
 * failure, client gone, pair closed). Thread-safe; a key's or API's counter disappears when it returns to zero.
 *
 * <pre>{@code
 * ConnectionLimiter limiter = ConnectionLimiter.builder().perGateway(10_000).perApi(1_000)
 *         .perKey(10, RateKey.claim("sub")).build();
 * }</pre>
 */
public final class ConnectionLimiter {

    private final int perGateway;
    private final int perApi;
    private final int perKey;
    private final RateKey key;
    private final AtomicInteger gateway = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> apis = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> keys = new ConcurrentHashMap<>();

    private ConnectionLimiter(Builder b) {
        this.perGateway = b.perGateway;
        this.perApi = b.perApi;
        this.perKey = b.perKey;
        this.key = b.key;
    }

    /** @return a builder; every limit is off until set */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param context an admitted handshake (its attributes hold what the key may need, e.g. verified claims)
     * @return a permit, or empty when a limit is reached (answer 429 {@code CONNECTION_LIMIT})
     */
    public Optional<Permit> tryAcquire(HandshakeContext context) {
        String k = perKey > 0 ? key.of(context).orElse("") : "";
        return tryAcquire(context.api().name(), k);
    }

    /**
     * @param api the API's name
     * @param key the key ("" for none); ignored without a per-key limit
     * @return a permit, or empty when a limit is reached
     */
    public Optional<Permit> tryAcquire(String api, String key) {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(key, "key");
        if (!incrementGateway()) {
            return Optional.empty();
        }
        if (!increment(apis, api, perApi)) {
            gateway.decrementAndGet();
            return Optional.empty();
        }
        boolean keyed = perKey > 0;
        if (keyed && !increment(keys, key, perKey)) {
            decrement(apis, api);
            gateway.decrementAndGet();
            return Optional.empty();
        }
        return Optional.of(new Permit(this, api, keyed ? key : null));
    }

    /** Never lets the count pass the limit, not even for a moment (a reader could see it). */
    private boolean incrementGateway() {
        while (true) {
            int n = gateway.get();
            if (perGateway > 0 && n >= perGateway) {
                return false;
            }
            if (gateway.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    private static boolean increment(ConcurrentHashMap<String, Integer> counts, String name, int limit) {
        boolean[] ok = {true};
        counts.compute(name, (k, v) -> {
            int n = v == null ? 0 : v;
            if (limit > 0 && n >= limit) {
                ok[0] = false;
                return v;
            }
            return n + 1;
        });
        return ok[0];
    }

    private static void decrement(ConcurrentHashMap<String, Integer> counts, String name) {
        counts.computeIfPresent(name, (k, v) -> v <= 1 ? null : v - 1);
    }

    /** @return the pairs holding a permit now */
    public int active() {
        return gateway.get();
    }

    /**
     * @param api an API's name
     * @return the pairs of that API holding a permit now
     */
    public int active(String api) {
        return apis.getOrDefault(api, 0);
    }

    /** @return how many keys hold a permit now (0 once every permit is back) */
    public int activeKeys() {
        return keys.size();
    }

    /** A held connection permit; {@link #release()} gives it back, once, whatever the number of calls. */
    public static final class Permit implements AutoCloseable {
        private final ConnectionLimiter limiter;
        private final String api;
        private final String key;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(ConnectionLimiter limiter, String api, String key) {
            this.limiter = limiter;
            this.api = api;
            this.key = key;
        }

        /** Gives the permit back; later calls do nothing. */
        public void release() {
            if (released.compareAndSet(false, true)) {
                if (key != null) {
                    decrement(limiter.keys, key);
                }
                decrement(limiter.apis, api);
                limiter.gateway.decrementAndGet();
            }
        }

        /** Same as {@link #release()}. */
        @Override
        public void close() {
            release();
        }
    }

    /** Builds a {@link ConnectionLimiter}; not thread-safe. */
    public static final class Builder {
        private int perGateway;
        private int perApi;
        private int perKey;
        private RateKey key = RateKey.clientIp();

        private Builder() {
        }

        /** Sets the most concurrent pairs of the gateway (0: no limit). */
        public Builder perGateway(int max) {
            this.perGateway = check(max, "perGateway");
            return this;
        }

        /** Sets the most concurrent pairs of each API (0: no limit). */
        public Builder perApi(int max) {
            this.perApi = check(max, "perApi");
            return this;
        }

        /** Sets the most concurrent pairs of each key, e.g. per JWT subject (0: no limit). */
        public Builder perKey(int max, RateKey key) {
            this.perKey = check(max, "perKey");
            this.key = Objects.requireNonNull(key, "key");
            return this;
        }

        private static int check(int max, String what) {
            if (max < 0) {
                throw new IllegalArgumentException(what + " must be 0 (no limit) or more, got " + max);
            }
            return max;
        }

        /** @return the limiter */
        public ConnectionLimiter build() {
            return new ConnectionLimiter(this);
        }
    }
}
