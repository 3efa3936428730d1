package io.wsgate.core;

import io.wsgate.api.CloseCause;
import io.wsgate.core.transport.PairRelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One drain of a {@link Gateway}: closes the pairs open when it began (at once, or in batches over the
 * window), closes at once every pair a handshake already under way establishes meanwhile, waits until no pair
 * is open and no handshake pending, and aborts what is left when the timeout (counted from the last batch)
 * passes. Its timers go through the configuration's {@link Scheduler}; none is left once it has completed.
 * Thread-safe: the gateway tells it of pairs opening and of pairs and handshakes ending from any thread.
 */
final class Drain {

    private static final Logger LOG = LoggerFactory.getLogger(Drain.class);
    private static final Duration BATCH_INTERVAL = Duration.ofSeconds(1);

    private final Gateway gateway;
    private final DrainOptions options;
    private final Scheduler scheduler;
    private final CompletableFuture<DrainResult> done = new CompletableFuture<>();
    private final CompletionStage<DrainResult> result = done.minimalCompletionStage();
    /** The ids of every pair this drain closed or saw open. */
    private final Set<String> pairs = ConcurrentHashMap.newKeySet();
    private Instant startedAt;
    // guarded by this
    private List<PairRelay> toClose = List.of();
    private int next;
    private int batchSize = 1;
    private Scheduler.Task timer;
    private boolean started;
    private boolean aborting;
    private boolean finished;

    Drain(Gateway gateway, DrainOptions options) {
        this.gateway = gateway;
        this.options = options;
        this.scheduler = gateway.config().scheduler();
    }

    /** @return completes once, with the result; the same stage for every caller */
    CompletionStage<DrainResult> result() {
        return result;
    }

    DrainOptions options() {
        return options;
    }

    /** Takes the pairs open now and closes the first batch (all of them without a window). Called once. */
    void start() {
        List<PairRelay> open = List.copyOf(gateway.relays());
        open.forEach(p -> pairs.add(p.id()));
        synchronized (this) {
            startedAt = gateway.config().clock().instant();
            toClose = open;
            batchSize = batchSize(open.size(), options.window());
            started = true;
        }
        LOG.info("gateway '{}' draining: {} pairs to close with {} (window {}, timeout {}), {} handshakes under way",
                gateway.config().name(), open.size(), options.closeCode(), options.window(), options.timeout(),
                gateway.pendingHandshakes());
        closeBatch();
        check();
    }

    /**
     * @param pairs  how many pairs to close
     * @param window the window
     * @return how many to close each second: {@code ceil(pairs / seconds)}, seconds being the window rounded up
     *         to whole seconds; all of them when the window is under two seconds
     */
    static int batchSize(int pairs, Duration window) {
        long seconds = window.getSeconds() + (window.getNano() > 0 ? 1 : 0);
        if (seconds <= 1 || pairs <= 1) {
            return Math.max(1, pairs);
        }
        return (int) Math.max(1, (pairs + seconds - 1) / seconds);
    }

    /** Closes the next batch and schedules the one after it, or the timeout after the last. */
    private void closeBatch() {
        List<PairRelay> batch;
        synchronized (this) {
            if (finished || aborting) {
                return;
            }
            int end = Math.min(next + batchSize, toClose.size());
            batch = toClose.subList(next, end);
            next = end;
            boolean last = next >= toClose.size();
            timer = last ? scheduler.schedule(options.timeout(), this::timedOut)
                    : scheduler.schedule(BATCH_INTERVAL, this::closeBatch);
        }
        for (PairRelay pair : batch) {
            close(pair);
        }
    }

    private void close(PairRelay pair) {
        pair.close(options.closeCode(), options.closeReason(), CloseCause.DRAINED);
    }

    /**
     * A handshake under way when the drain began established its pair: closed at once, or aborted when the
     * drain is already over.
     */
    void pairOpened(PairRelay pair) {
        pairs.add(pair.id());
        boolean over;
        synchronized (this) {
            over = finished;
        }
        close(pair);
        if (over) {
            pair.abort(CloseCause.DRAINED);
        }
    }

    /** A pair or a handshake ended: completes the drain when none is left. */
    void check() {
        DrainResult r;
        Scheduler.Task cancel;
        synchronized (this) {
            if (!started || finished || aborting || gateway.openPairs() > 0 || gateway.pendingHandshakes() > 0) {
                return;
            }
            finished = true;
            cancel = timer;
            timer = null;
            r = result(0);
        }
        if (cancel != null) {
            cancel.cancel();
        }
        finish(r);
    }

    /** The timeout passed: every pair left is aborted. A handshake still under way is not waited for. */
    private void timedOut() {
        synchronized (this) {
            if (finished || aborting) {
                return;
            }
            aborting = true;
            timer = null;
        }
        List<PairRelay> left = List.copyOf(gateway.relays());
        for (PairRelay pair : left) {
            pair.abort(CloseCause.DRAINED);
        }
        DrainResult r;
        synchronized (this) {
            finished = true;
            r = result(left.size());
        }
        if (!left.isEmpty()) {
            LOG.warn("gateway '{}': {} pairs still open {} after the drain closed them; aborted", gateway.config().name(),
                    left.size(), options.timeout());
        }
        finish(r);
    }

    private DrainResult result(int aborted) {
        Duration took = Duration.between(startedAt, gateway.config().clock().instant());
        int total = pairs.size();
        return new DrainResult(toClose.size(), Math.max(0, total - aborted), aborted, took.isNegative() ? Duration.ZERO : took);
    }

    private void finish(DrainResult r) {
        LOG.info("gateway '{}' drained: {}", gateway.config().name(), r);
        done.complete(r);
    }
}
