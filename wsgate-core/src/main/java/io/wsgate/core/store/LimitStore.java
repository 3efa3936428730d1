package io.wsgate.core.store;

import java.time.Clock;
import java.time.Duration;

/**
 * Where the limits by key of a gateway keep their counts: rate limits and quotas ({@link #rateCounter}) and
 * concurrent connections ({@link #connectionCounter}). The default, {@link #inMemory()}, counts in this process,
 * each policy instance apart; a shared store (wsgate-redis's {@code RedisLimitStore}) counts for every instance
 * of a cluster, so that N gateways together admit what one would.
 *
 * <p>Policies and connection limiters take their counters from the store once, when they are built; the gateway
 * file does that for every limit of the file with the gateway's {@code limitStore}. When a shared store fails
 * (down, or slower than its command timeout), the limits apply its {@link #failureMode()} and report the failure
 * to its {@link #monitor()}, which logs it once per outage and tells the gateways' listeners.
 *
 * <p>Implementations are thread-safe, and never block a caller: counters answer with stages that complete on the
 * store client's threads, within the command timeout.
 *
 * <pre>{@code
 * LimitStore store = RedisLimitStore.builder(URI.create("redis://redis:6379")).gateway("edge").build();
 * GatewayConfig config = GatewayConfig.builder().limitStore(store)
 *         .connectionLimits(ConnectionLimiter.builder().store(store).perKey(2, RateKey.claim("sub")).build())
 *         ...
 * }</pre>
 */
public interface LimitStore extends AutoCloseable {

    /** @return the in-memory store on the system clock: every limit counts in this process alone */
    static LimitStore inMemory() {
        return InMemoryLimitStore.SYSTEM;
    }

    /**
     * @param clock the time source of the token buckets (tests drive their own)
     * @return an in-memory store on that clock
     */
    static LimitStore inMemory(Clock clock) {
        return new InMemoryLimitStore(clock);
    }

    /** @return what the store is, for logs and metrics, e.g. {@code redis://redis:6379} (never a password) */
    String describe();

    /** @return false for a store that counts in this process alone (no failure, no lease); true for a shared one */
    boolean isShared();

    /** @return what limits do with a handshake while this store fails */
    FailureMode failureMode();

    /** @return how long a connection permit lives without renewal (irrelevant, zero, for a store that is not shared) */
    Duration leaseTime();

    /** @return where failures of this store are reported and heard */
    LimitStoreMonitor monitor();

    /**
     * Called once per policy instance, when it is built (on the thread that builds it).
     *
     * @param spec the limit
     * @return its counters: fresh ones in memory; in a shared store, those every instance with the spec's id shares
     */
    RateCounter rateCounter(RateSpec spec);

    /**
     * Called once per connection limiter, when it is built.
     *
     * @param spec the limits
     * @return its counters
     */
    ConnectionCounter connectionCounter(ConnectionSpec spec);

    /**
     * Closes the store's client. Called by whoever made the store (the application, or the demo for the store of
     * its file); the limits built on it fail after this.
     */
    @Override
    void close();
}
