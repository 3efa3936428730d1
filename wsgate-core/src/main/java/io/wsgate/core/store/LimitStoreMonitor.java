package io.wsgate.core.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The health of one shared {@link LimitStore}: the limits report each failed and each answered call; an outage
 * (from the first failure to the next answer) is logged once at warn, its end once at info, and every failure is
 * told to the subscribers (each gateway using the store subscribes its listener). Thread-safe; called on the
 * threads that complete the store's stages.
 */
public final class LimitStoreMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(LimitStoreMonitor.class);

    private final String store;
    private final FailureMode mode;
    private final AtomicBoolean down = new AtomicBoolean();
    private final CopyOnWriteArrayList<Consumer<LimitStoreFailure>> subscribers = new CopyOnWriteArrayList<>();

    private LimitStoreMonitor(String store, FailureMode mode) {
        this.store = store;
        this.mode = mode;
    }

    /**
     * @param store what the store is (its {@link LimitStore#describe()})
     * @param mode  its failure mode
     * @return a monitor for it; a store makes one and returns it from {@link LimitStore#monitor()}
     */
    public static LimitStoreMonitor of(String store, FailureMode mode) {
        return new LimitStoreMonitor(Objects.requireNonNull(store, "store"), Objects.requireNonNull(mode, "mode"));
    }

    /**
     * Reports a failed call: logs the outage when it starts, tells every subscriber.
     *
     * @param operation what failed ({@code rate}, {@code acquire}, {@code renew}, {@code release})
     * @param cause     why
     */
    public void failed(String operation, Throwable cause) {
        Throwable c = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        String reason = c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
        boolean start = down.compareAndSet(false, true);
        if (start) {
            LOG.warn("limit store {} is unavailable ({}: {}); until it answers, {}", store, operation, reason,
                    mode == FailureMode.CLOSED ? "limited handshakes get 503 LIMIT_STORE_UNAVAILABLE"
                            : "limits count on each instance alone");
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("limit store {}: {} failed: {}", store, operation, reason);
        }
        LimitStoreFailure failure = new LimitStoreFailure(store, operation, mode, reason, start);
        for (Consumer<LimitStoreFailure> s : subscribers) {
            try {
                s.accept(failure);
            } catch (RuntimeException e) {
                LOG.debug("a limit-store subscriber threw", e);
            }
        }
    }

    /** Reports a call the store answered: ends an outage (logged once). Costs one volatile read otherwise. */
    public void answered() {
        if (down.get() && down.compareAndSet(true, false)) {
            LOG.info("limit store {} answers again", store);
        }
    }

    /** @return true between a failure and the next answer */
    public boolean isDown() {
        return down.get();
    }

    /**
     * @param subscriber hears every failure, on the thread that saw it (must not block)
     * @return runs to unsubscribe it
     */
    public Runnable subscribe(Consumer<LimitStoreFailure> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }
}
