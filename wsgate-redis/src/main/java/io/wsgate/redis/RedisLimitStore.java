package io.wsgate.redis;

import io.lettuce.core.RedisURI;
import io.wsgate.core.store.ConnectionCounter;
import io.wsgate.core.store.ConnectionSpec;
import io.wsgate.core.store.FailureMode;
import io.wsgate.core.store.LimitStore;
import io.wsgate.core.store.LimitStoreMonitor;
import io.wsgate.core.store.LimitStoreSettings;
import io.wsgate.core.store.RateCounter;
import io.wsgate.core.store.RateSpec;
import io.wsgate.redis.internal.RedisConnections;
import io.wsgate.redis.internal.RedisKeys;
import io.wsgate.redis.internal.RedisLink;
import io.wsgate.redis.internal.RedisRates;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@link LimitStore} on Redis: every gateway instance with the same gateway name and a store on the same Redis
 * shares its rate limits, quotas (Bucket4j's Lettuce buckets) and connection limits (leases in sorted sets). Keys
 * are {@code wsgate:<gateway>:...}, hold a key's value only as a hash, and expire when idle.
 *
 * <ul>
 *   <li>A handshake waits at most the command timeout (default 200 ms) for Redis; past it, or while Redis is down,
 *       the failure mode applies (closed: 503 {@code LIMIT_STORE_UNAVAILABLE}; open: this instance's own limits).</li>
 *   <li>A connection permit is a lease of {@code leaseTime} (default 30 s), renewed every third of it while the pair
 *       lives; the permits of an instance killed without releasing them come back within the lease time. Leases are
 *       scored in the instances' clocks, which must agree (NTP) well within the lease time.</li>
 *   <li>Established pairs never depend on Redis: a failed renewal is retried at the next one, and renewal takes the
 *       permit again in a Redis that lost it (restarted without persistence).</li>
 * </ul>
 *
 * <p>Building it waits up to 3 s (or the command timeout, if longer) for the first connection, then goes on in the
 * background, so a gateway starts while Redis is down. Thread-safe; {@link #close()} it when the gateway stops.
 *
 * <pre>{@code
 * RedisLimitStore store = RedisLimitStore.builder(URI.create("rediss://:secret@redis.internal:6380"))
 *         .gateway("edge").failureMode(FailureMode.OPEN).build();
 * }</pre>
 */
public final class RedisLimitStore implements LimitStore {

    private final LimitStoreSettings settings;
    private final String describe;
    private final RedisKeys keys;
    private final RedisLink link;
    private final LimitStoreMonitor monitor;
    private final String instance;

    private RedisLimitStore(LimitStoreSettings settings) {
        this.settings = settings;
        URI uri = settings.uri();
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw new IllegalArgumentException("a Redis URI is redis://[:password@]host[:port][/database] or rediss://..., got scheme '"
                    + scheme + "'");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("the Redis URI has no host");
        }
        RedisURI redisUri = RedisURI.create(uri);
        this.describe = scheme + "://" + uri.getHost() + ":" + redisUri.getPort() + "/" + redisUri.getDatabase();
        this.keys = new RedisKeys(settings.gateway());
        this.monitor = LimitStoreMonitor.of(describe, settings.failureMode());
        this.instance = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        this.link = new RedisLink(redisUri, describe, settings.commandTimeout(), settings.clock());
    }

    /**
     * @param uri where Redis is: {@code redis://[[user]:password@]host[:port][/database]}, or {@code rediss://} for TLS
     * @return a builder with the defaults (gateway {@code default}, 200 ms, fail closed, 30 s leases)
     */
    public static Builder builder(URI uri) {
        return new Builder(Objects.requireNonNull(uri, "uri"));
    }

    /**
     * @param settings a gateway file's {@code limitStore} (or settings made in code)
     * @return the store, connecting in the background
     * @throws IllegalArgumentException when the URI is not a Redis URI
     */
    public static RedisLimitStore create(LimitStoreSettings settings) {
        return new RedisLimitStore(Objects.requireNonNull(settings, "settings"));
    }

    @Override
    public String describe() {
        return describe;
    }

    @Override
    public boolean isShared() {
        return true;
    }

    @Override
    public FailureMode failureMode() {
        return settings.failureMode();
    }

    @Override
    public Duration leaseTime() {
        return settings.leaseTime();
    }

    /** @return how long a handshake waits for Redis at most */
    public Duration commandTimeout() {
        return settings.commandTimeout();
    }

    @Override
    public LimitStoreMonitor monitor() {
        return monitor;
    }

    @Override
    public RateCounter rateCounter(RateSpec spec) {
        return new RedisRates(link, keys, Objects.requireNonNull(spec, "spec"));
    }

    @Override
    public ConnectionCounter connectionCounter(ConnectionSpec spec) {
        return new RedisConnections(link, keys, Objects.requireNonNull(spec, "spec"), settings.clock(), settings.leaseTime(), instance);
    }

    /** Closes the connection; the limits built on this store fail (their failure mode) after this. */
    @Override
    public void close() {
        link.close();
    }

    @Override
    public String toString() {
        return "RedisLimitStore[" + describe + ", gateway " + settings.gateway() + ", " + settings.failureMode() + "]";
    }

    /** Builds a {@link RedisLimitStore}; not thread-safe. */
    public static final class Builder {
        private final URI uri;
        private String gateway = "default";
        private Duration commandTimeout = LimitStoreSettings.DEFAULT_COMMAND_TIMEOUT;
        private FailureMode failureMode = FailureMode.CLOSED;
        private Duration leaseTime = LimitStoreSettings.DEFAULT_LEASE_TIME;
        private Clock clock = Clock.systemUTC();

        private Builder(URI uri) {
            this.uri = uri;
        }

        /** Sets the gateway's name, the namespace of the keys (default {@code default}): give every instance the same. */
        public Builder gateway(String gateway) {
            this.gateway = Objects.requireNonNull(gateway, "gateway");
            return this;
        }

        /** Sets how long a handshake waits for Redis at most (default 200 ms). */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Sets what limits do while Redis fails (default {@link FailureMode#CLOSED}). */
        public Builder failureMode(FailureMode mode) {
            this.failureMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** Sets how long a connection permit lives unless renewed (default 30 s, at least 1 s). */
        public Builder leaseTime(Duration leaseTime) {
            this.leaseTime = Objects.requireNonNull(leaseTime, "leaseTime");
            return this;
        }

        /** Sets the time of buckets and leases (default the system's; tests drive their own). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @return the store, connected (or connecting in the background when Redis did not answer within 3 s)
         * @throws IllegalArgumentException when a setting is out of range or the URI is not a Redis URI
         */
        public RedisLimitStore build() {
            return create(new LimitStoreSettings("redis", uri, gateway, commandTimeout, failureMode, leaseTime, clock));
        }
    }
}
