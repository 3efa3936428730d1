package io.wsgate.core.store;

import io.wsgate.core.error.WsGateException;

/**
 * A shared {@link LimitStore} did not answer (down, or slower than its command timeout) and its failure mode is
 * {@link FailureMode#CLOSED}: the handshake gets 503 {@code LIMIT_STORE_UNAVAILABLE}. A connection limiter's
 * {@code acquire} stage completes with it.
 */
public final class LimitStoreUnavailableException extends WsGateException {
    private static final long serialVersionUID = 1L;

    /**
     * @param store what the store is ({@link LimitStore#describe()})
     * @param cause why it did not answer
     */
    public LimitStoreUnavailableException(String store, Throwable cause) {
        super("limit store " + store + " is unavailable", cause);
    }
}
