package io.wsgate.core.store;

import java.util.concurrent.CompletionStage;

/**
 * The counters of one {@link RateSpec}, one token bucket per key. Thread-safe; called on the thread of the
 * handshake's policy chain, once per handshake.
 */
@FunctionalInterface
public interface RateCounter {

    /**
     * Takes one permit of a key. Must not block: a shared store answers from its client's threads.
     *
     * @param key the key (a client address, a claim's value, a header's value: a shared store hashes it)
     * @return completes with 0 when a permit was taken, else the whole seconds (at least 1) until one is
     *         available; completes exceptionally when the store cannot answer (within its command timeout)
     */
    CompletionStage<Long> tryTake(String key);
}
