package io.wsgate.core.policy.limit;

import io.wsgate.api.HandshakeContext;
import io.wsgate.core.Scheduler;
import io.wsgate.core.store.ConnectionCounter;
import io.wsgate.core.store.ConnectionSpec;
import io.wsgate.core.store.FailureMode;
import io.wsgate.core.store.LimitStore;
import io.wsgate.core.store.LimitStoreUnavailableException;
import io.wsgate.core.store.LocalConnectionCounter;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts concurrent connection pairs per gateway, per API and per key, and hands out permits within the
 * limits. The flow takes a permit once the policy chain admitted a handshake (none: 429 {@code CONNECTION_LIMIT})
 * and releases it exactly once when the exchange ends, whatever way (backend failure, client gone, pair closed).
 * Thread-safe.
 *
 * <p>In memory (the default) the counts are this process's and {@link #tryAcquire} answers at once. On a shared
 * {@link LimitStore} ({@link Builder#store}) they are the cluster's: {@link #acquire} answers from the store, and
 * each permit is a lease the limiter renews on the gateway's scheduler while its pair lives, so that the permits of
 * an instance that died come back after the store's lease time. While the store fails, its failure mode applies:
 * closed, the stage fails with {@link LimitStoreUnavailableException} (503 {@code LIMIT_STORE_UNAVAILABLE}); open,
 * the permit is taken from this instance's own counts.
 *
 * <pre>{@code
 * ConnectionLimiter limiter = ConnectionLimiter.builder().perGateway(10_000).perApi(1_000)
 *         .perKey(10, RateKey.claim("sub")).build();
 * }</pre>
 */
public final class ConnectionLimiter {

    private final int perKey;
    private final RateKey key;
    private final LimitStore store;
    /** The counts in memory; with a shared store, the fallback of an open failure mode. */
    private final LocalConnectionCounter local;
    /** The shared store's counts; null in memory. */
    private final ConnectionCounter shared;
    private final AtomicInteger sharedHeld = new AtomicInteger();

    private ConnectionLimiter(Builder b) {
        this.perKey = b.perKey;
        this.key = b.key;
        this.store = b.store;
        ConnectionSpec spec = new ConnectionSpec(b.id, b.perGateway, b.perApi, b.perKey);
        this.local = LocalConnectionCounter.of(spec);
        this.shared = b.store.isShared() ? b.store.connectionCounter(spec) : null;
    }

    /** @return a builder; every limit is off until set */
    public static Builder builder() {
        return new Builder();
    }

    /** @return true when the counts are in a shared store: use {@link #acquire}, not {@link #tryAcquire} */
    public boolean isShared() {
        return shared != null;
    }

    /** @return the store the counts are in */
    public LimitStore store() {
        return store;
    }

    /**
     * Takes a permit from the in-memory counts, at once.
     *
     * @param context an admitted handshake (its attributes hold what the key may need, e.g. verified claims)
     * @return a permit, or empty when a limit is reached (answer 429 {@code CONNECTION_LIMIT})
     * @throws IllegalStateException when the counts are in a shared store ({@link #acquire})
     */
    public Optional<Permit> tryAcquire(HandshakeContext context) {
        return tryAcquire(context.api().name(), keyOf(context));
    }

    /**
     * @param api the API's name
     * @param key the key ("" for none); ignored without a per-key limit
     * @return a permit, or empty when a limit is reached
     * @throws IllegalStateException when the counts are in a shared store ({@link #acquire})
     */
    public Optional<Permit> tryAcquire(String api, String key) {
        if (shared != null) {
            throw new IllegalStateException("the counts are in " + store.describe() + ": use acquire, which does not block");
        }
        return tryLocal(api, key);
    }

    /**
     * Takes a permit, from the shared store when there is one (never blocking: the stage completes on the store
     * client's thread, within its command timeout), else at once from memory. Called by the gateway once per
     * admitted handshake.
     *
     * @param context   an admitted handshake
     * @param scheduler renews the permit's lease while it is held (the gateway's)
     * @return completes with a permit, or empty when a limit is reached; with {@link LimitStoreUnavailableException}
     *         when the shared store failed and fails closed
     */
    public CompletionStage<Optional<Permit>> acquire(HandshakeContext context, Scheduler scheduler) {
        Objects.requireNonNull(scheduler, "scheduler");
        String api = context.api().name();
        String k = keyOf(context);
        if (shared == null) {
            return CompletableFuture.completedFuture(tryLocal(api, k));
        }
        return shared.tryAcquire(api, k).handle((lease, error) -> {
            if (error == null) {
                store.monitor().answered();
                return lease.map(l -> Permit.leased(this, l, scheduler));
            }
            store.monitor().failed("acquire", error);
            if (store.failureMode() == FailureMode.OPEN) {
                return tryLocal(api, k);
            }
            throw new LimitStoreUnavailableException(store.describe(), error);
        });
    }

    private String keyOf(HandshakeContext context) {
        return perKey > 0 ? key.of(context).orElse("") : "";
    }

    private Optional<Permit> tryLocal(String api, String key) {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(key, "key");
        return local.acquire(api, key) ? Optional.of(new Permit(this, api, perKey > 0 ? key : "", null, null)) : Optional.empty();
    }

    /** @return the pairs holding a permit through this limiter now (with a shared store: this instance's) */
    public int active() {
        return local.active() + sharedHeld.get();
    }

    /**
     * @param api an API's name
     * @return the pairs of that API holding an in-memory permit now
     */
    public int active(String api) {
        return local.active(api);
    }

    /** @return how many keys hold an in-memory permit now (0 once every permit is back) */
    public int activeKeys() {
        return local.activeKeys();
    }

    /** A held connection permit; {@link #release()} gives it back, once, whatever the number of calls. */
    public static final class Permit implements AutoCloseable {
        private final ConnectionLimiter limiter;
        private final String api;
        private final String key;
        /** A shared store's lease, renewed while held; null for an in-memory permit. */
        private final ConnectionCounter.Lease lease;
        private final LeaseRenewal renewal;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(ConnectionLimiter limiter, String api, String key, ConnectionCounter.Lease lease, Scheduler scheduler) {
            this.limiter = limiter;
            this.api = api;
            this.key = key;
            this.lease = lease;
            this.renewal = lease == null ? null : new LeaseRenewal(limiter.store, lease, scheduler, released);
        }

        private static Permit leased(ConnectionLimiter limiter, ConnectionCounter.Lease lease, Scheduler scheduler) {
            limiter.sharedHeld.incrementAndGet();
            Permit p = new Permit(limiter, "", "", lease, scheduler);
            p.renewal.start();
            return p;
        }

        /** Gives the permit back; later calls do nothing. A shared store's lease stops being renewed. */
        public void release() {
            if (released.compareAndSet(false, true)) {
                if (lease == null) {
                    limiter.local.release(api, key);
                    return;
                }
                renewal.stop();
                limiter.sharedHeld.decrementAndGet();
                lease.release().whenComplete((v, error) -> {
                    if (error == null) {
                        limiter.store.monitor().answered();
                    } else {
                        limiter.store.monitor().failed("release", error); // the lease expires by itself
                    }
                });
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
        private LimitStore store = LimitStore.inMemory();
        private String id = "connections";

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

        /**
         * Counts in that store (default {@link LimitStore#inMemory()}); a shared one counts for every instance of the
         * gateway.
         */
        public Builder store(LimitStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Names the counts in a shared store (default {@code connections}; the store namespaces it by gateway). */
        public Builder id(String id) {
            Objects.requireNonNull(id, "id");
            if (id.isBlank()) {
                throw new IllegalArgumentException("id is blank");
            }
            this.id = id;
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
