package io.wsgate.core.store;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/** {@link LimitStore#inMemory()}: fresh counters in this process for every limit; never fails, never leases. */
final class InMemoryLimitStore implements LimitStore {

    static final InMemoryLimitStore SYSTEM = new InMemoryLimitStore(Clock.systemUTC());

    private final Clock clock;
    private final LimitStoreMonitor monitor = LimitStoreMonitor.of("in-memory", FailureMode.CLOSED);

    InMemoryLimitStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String describe() {
        return "in-memory";
    }

    @Override
    public boolean isShared() {
        return false;
    }

    @Override
    public FailureMode failureMode() {
        return FailureMode.CLOSED;
    }

    @Override
    public Duration leaseTime() {
        return Duration.ZERO;
    }

    @Override
    public LimitStoreMonitor monitor() {
        return monitor;
    }

    @Override
    public LocalRateCounter rateCounter(RateSpec spec) {
        return new LocalRateCounter(spec, clock);
    }

    @Override
    public LocalConnectionCounter connectionCounter(ConnectionSpec spec) {
        return new LocalConnectionCounter(spec);
    }

    @Override
    public void close() {
        // nothing to close
    }

    @Override
    public String toString() {
        return "LimitStore.inMemory()";
    }
}
