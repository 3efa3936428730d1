package io.wsgate.core.store;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The in-memory counts of a {@link ConnectionSpec}: the gateway's, each API's and each key's. Thread-safe; a key's
 * or API's counter disappears when it returns to zero. {@link #acquire} and {@link #release} answer at once, on
 * the caller's thread (the connection limiter calls them directly).
 */
public final class LocalConnectionCounter implements ConnectionCounter {

    private final int perGateway;
    private final int perApi;
    private final int perKey;
    private final AtomicInteger gateway = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> apis = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> keys = new ConcurrentHashMap<>();

    LocalConnectionCounter(ConnectionSpec spec) {
        this.perGateway = spec.perGateway();
        this.perApi = spec.perApi();
        this.perKey = spec.perKey();
    }

    /**
     * @param spec the limits
     * @return fresh counts of them
     */
    public static LocalConnectionCounter of(ConnectionSpec spec) {
        return new LocalConnectionCounter(Objects.requireNonNull(spec, "spec"));
    }

    @Override
    public CompletionStage<Optional<Lease>> tryAcquire(String api, String key) {
        if (!acquire(api, key)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        AtomicBoolean released = new AtomicBoolean();
        return CompletableFuture.completedFuture(Optional.of(new Lease() {
            @Override
            public CompletionStage<Void> renew() {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletionStage<Void> release() {
                if (released.compareAndSet(false, true)) {
                    LocalConnectionCounter.this.release(api, key);
                }
                return CompletableFuture.completedFuture(null);
            }
        }));
    }

    /**
     * @param api the API's name
     * @param key the key; ignored without a per-key limit
     * @return true when a permit was taken under every limit, false (and nothing taken) when one is reached
     */
    public boolean acquire(String api, String key) {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(key, "key");
        if (!incrementGateway()) {
            return false;
        }
        if (!increment(apis, api, perApi)) {
            gateway.decrementAndGet();
            return false;
        }
        if (perKey > 0 && !increment(keys, key, perKey)) {
            decrement(apis, api);
            gateway.decrementAndGet();
            return false;
        }
        return true;
    }

    /**
     * Gives back a permit {@link #acquire} took; the caller makes sure it does so once.
     *
     * @param api the API's name
     * @param key the key it was taken with
     */
    public void release(String api, String key) {
        if (perKey > 0) {
            decrement(keys, key);
        }
        decrement(apis, api);
        gateway.decrementAndGet();
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

    /** @return the permits held now */
    public int active() {
        return gateway.get();
    }

    /**
     * @param api an API's name
     * @return the permits of that API held now
     */
    public int active(String api) {
        return apis.getOrDefault(api, 0);
    }

    /** @return how many keys hold a permit now */
    public int activeKeys() {
        return keys.size();
    }
}
