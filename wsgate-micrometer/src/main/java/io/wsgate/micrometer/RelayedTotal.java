package io.wsgate.micrometer;

import io.wsgate.api.ConnectionPair;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;

/**
 * The total of one of a pair's counters (messages or bytes, one direction) over every pair of one API, as a
 * Micrometer {@code FunctionCounter} reads it at scrape time: the final counts of the pairs that have closed
 * plus the live counts of the pairs still open. Nothing is done per frame: the relay counts on its pair anyway.
 *
 * <p><b>Never counted twice.</b> A closing pair is first removed from the live set, then its final count is
 * added ({@link #pairClosed}); a scrape reads the closed sum first, then walks the live set. A scrape that saw
 * the final count therefore started its walk after the removal, and cannot meet the pair again.
 *
 * <p><b>Never going back.</b> A scrape between the removal and the addition misses the pair's count, and a
 * live pair's counters may lag a frame; the value reported is the highest ever computed, so the counter is
 * monotonic as a counter must be, and catches up at the next scrape.
 *
 * <p>Thread-safe: {@link #pairClosed} on the thread that ends a pair, {@link #value} on the scraping thread.
 */
final class RelayedTotal {

    private final Set<ConnectionPair> live;
    private final ToLongFunction<ConnectionPair> count;
    private final LongAdder closed = new LongAdder();
    private final AtomicLong reported = new AtomicLong();

    /**
     * @param live  the API's open pairs (shared with the other totals of the API)
     * @param count reads this total's counter on a pair
     */
    RelayedTotal(Set<ConnectionPair> live, ToLongFunction<ConnectionPair> count) {
        this.live = live;
        this.count = count;
    }

    /** Adds a pair's final count; called after the pair has left the live set. */
    void pairClosed(ConnectionPair pair) {
        closed.add(count.applyAsLong(pair));
    }

    /** @return the total now: closed pairs, then live ones, never less than a value returned before */
    double value() {
        long total = closed.sum();
        for (ConnectionPair pair : live) {
            total += count.applyAsLong(pair);
        }
        long now = total;
        return reported.accumulateAndGet(now, Math::max);
    }
}
