package io.wsgate.redis.internal;

import io.wsgate.core.store.ConnectionCounter;
import io.wsgate.core.store.ConnectionSpec;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A connection limiter's counts in Redis: one sorted set of leases per limited scope (the gateway, each API, each
 * key), acquired, renewed and released by {@link LeaseScripts}. A lease's id is this store's instance id and a
 * sequence number. Thread-safe.
 */
public final class RedisConnections implements ConnectionCounter {

    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);
    /** The lease of a limiter with no limit: nothing to count. */
    private static final Lease NONE = new Lease() {
        @Override
        public CompletionStage<Void> renew() {
            return DONE;
        }

        @Override
        public CompletionStage<Void> release() {
            return DONE;
        }
    };

    private final RedisLink link;
    private final ConnectionSpec spec;
    private final String prefix;
    private final Clock clock;
    private final long leaseMillis;
    private final byte[] ttl;
    private final String instance;
    private final AtomicLong sequence = new AtomicLong();

    /**
     * @param link      the connection
     * @param keys      the store's key names
     * @param spec      the limits
     * @param clock     the time of the leases (every instance's clock is taken to agree within a small fraction of
     *                  the lease time)
     * @param leaseTime how long a lease lives unless renewed
     * @param instance  this store's id, unique in the cluster
     */
    public RedisConnections(RedisLink link, RedisKeys keys, ConnectionSpec spec, Clock clock, Duration leaseTime, String instance) {
        this.link = link;
        this.spec = spec;
        this.prefix = keys.connectionPrefix(spec.id());
        this.clock = clock;
        this.leaseMillis = leaseTime.toMillis();
        this.ttl = RedisKeys.bytes(Long.toString(leaseMillis * 2));
        this.instance = instance;
    }

    @Override
    public CompletionStage<Optional<Lease>> tryAcquire(String api, String key) {
        List<byte[]> sets = new ArrayList<>(3);
        List<byte[]> limits = new ArrayList<>(3);
        add(sets, limits, spec.perGateway(), "gateway");
        add(sets, limits, spec.perApi(), "api:" + api);
        if (spec.perKey() > 0) {
            add(sets, limits, spec.perKey(), "key:" + RedisKeys.hash(key));
        }
        if (sets.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.of(NONE));
        }
        byte[][] k = sets.toArray(byte[][]::new);
        byte[] id = RedisKeys.bytes(instance + ":" + sequence.incrementAndGet());
        long now = clock.millis();
        byte[][] args = new byte[4 + limits.size()][];
        args[0] = RedisKeys.bytes(Long.toString(now));
        args[1] = RedisKeys.bytes(Long.toString(now + leaseMillis));
        args[2] = id;
        args[3] = ttl;
        for (int i = 0; i < limits.size(); i++) {
            args[4 + i] = limits.get(i);
        }
        return link.call(c -> LeaseScripts.ACQUIRE.run(c.connection().async(), k, args))
                .thenApply(full -> full == 0 ? Optional.of(new RedisLease(k, id)) : Optional.empty());
    }

    private void add(List<byte[]> sets, List<byte[]> limits, int limit, String name) {
        if (limit > 0) {
            sets.add(RedisKeys.bytes(prefix + name));
            limits.add(RedisKeys.bytes(Integer.toString(limit)));
        }
    }

    /** One pair's lease, in every set it counts in. */
    private final class RedisLease implements Lease {
        private final byte[][] sets;
        private final byte[] id;

        RedisLease(byte[][] sets, byte[] id) {
            this.sets = sets;
            this.id = id;
        }

        @Override
        public CompletionStage<Void> renew() {
            byte[] expiry = RedisKeys.bytes(Long.toString(clock.millis() + leaseMillis));
            return link.call(c -> LeaseScripts.RENEW.run(c.connection().async(), sets, expiry, id, ttl)).thenApply(r -> null);
        }

        @Override
        public CompletionStage<Void> release() {
            return link.call(c -> LeaseScripts.RELEASE.run(c.connection().async(), sets, id)).thenApply(r -> null);
        }
    }
}
