package io.wsgate.core.config;

import io.wsgate.core.store.ConnectionCounter;
import io.wsgate.core.store.ConnectionSpec;
import io.wsgate.core.store.FailureMode;
import io.wsgate.core.store.LimitStore;
import io.wsgate.core.store.LimitStoreFactory;
import io.wsgate.core.store.LimitStoreMonitor;
import io.wsgate.core.store.LimitStoreSettings;
import io.wsgate.core.store.RateCounter;
import io.wsgate.core.store.RateSpec;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A limitStore type {@code fake} for the file tests (found through the test class path's META-INF/services). */
public final class FakeStoreFactory implements LimitStoreFactory {

    /** Called by ServiceLoader. */
    public FakeStoreFactory() {
    }

    @Override
    public String type() {
        return "fake";
    }

    @Override
    public LimitStore create(LimitStoreSettings settings) {
        if (settings.uri().getHost() == null) {
            throw new IllegalArgumentException("the fake store's URI has no host");
        }
        return new Store(settings);
    }

    /** Records the limits built on it; every call admits. */
    public static final class Store implements LimitStore {
        public final LimitStoreSettings settings;
        public final List<String> ids = new CopyOnWriteArrayList<>();
        private final LimitStoreMonitor monitor;

        Store(LimitStoreSettings settings) {
            this.settings = settings;
            this.monitor = LimitStoreMonitor.of("fake://" + settings.uri().getHost(), settings.failureMode());
        }

        @Override
        public String describe() {
            return "fake://" + settings.uri().getHost();
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

        @Override
        public LimitStoreMonitor monitor() {
            return monitor;
        }

        @Override
        public RateCounter rateCounter(RateSpec spec) {
            ids.add(spec.id());
            return key -> CompletableFuture.completedFuture(0L);
        }

        @Override
        public ConnectionCounter connectionCounter(ConnectionSpec spec) {
            ids.add(spec.id());
            return (api, key) -> CompletableFuture.completedFuture(Optional.empty());
        }

        @Override
        public void close() {
        }
    }
}
