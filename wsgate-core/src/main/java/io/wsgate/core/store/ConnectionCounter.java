package io.wsgate.core.store;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The concurrent-connection counts of one {@link ConnectionSpec}: the gateway's, each API's and each key's.
 * Thread-safe; {@link #tryAcquire} is called once per admitted handshake.
 */
@FunctionalInterface
public interface ConnectionCounter {

    /**
     * Takes a permit under every limit of the spec at once, or none. Must not block.
     *
     * @param api the API's name
     * @param key the key, {@code ""} without a per-key limit (a shared store hashes it)
     * @return completes with the lease, or empty when a limit is reached; exceptionally when the store cannot
     *         answer (within its command timeout)
     */
    CompletionStage<Optional<Lease>> tryAcquire(String api, String key);

    /**
     * A held permit. A shared store's lease expires unless renewed: the connection limiter renews it every
     * third of the store's {@linkplain LimitStore#leaseTime() lease time} while its pair lives, on the gateway's
     * scheduler, so that the permits of an instance that died come back by themselves.
     */
    interface Lease {

        /**
         * Extends the lease by the store's lease time, taking the permit again if the store lost it (a restarted
         * store). Called on the scheduler's thread; must not block.
         *
         * @return completes when renewed; exceptionally when the store cannot answer (the limiter tries again at
         *         the next renewal)
         */
        CompletionStage<Void> renew();

        /**
         * Gives the permit back. Called once per lease by the limiter, on the thread that ended the pair; must
         * not block. A release the store cannot take is dropped: the lease then expires by itself.
         *
         * @return completes when released
         */
        CompletionStage<Void> release();
    }
}
