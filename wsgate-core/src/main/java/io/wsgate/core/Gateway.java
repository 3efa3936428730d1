package io.wsgate.core;

import io.wsgate.api.ConnectionPair;
import io.wsgate.api.HandshakeRequest;

import java.util.Collection;

/**
 * A running gateway engine: the APIs of its {@link GatewayConfig}, the exchanges in progress
 * and the established pairs. Thread-safe; one per mounted Handler or Servlet.
 */
public final class Gateway {

    private Gateway() {
    }

    /**
     * @param config the configuration
     * @return a gateway serving it
     */
    public static Gateway create(GatewayConfig config) {
        throw new UnsupportedOperationException("not yet");
    }

    /** @return the configuration in force */
    public GatewayConfig config() {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Replaces the configuration. Established pairs keep running, whatever happened to their API;
     * new handshakes see the new APIs.
     *
     * @param config the new configuration
     */
    public void reconfigure(GatewayConfig config) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Starts one handshake.
     *
     * @param request     the client's request
     * @param pathInMount the request path below the gateway's mount point (matched against URL suffixes)
     * @return the exchange to drive
     */
    public Exchange exchange(HandshakeRequest request, String pathInMount) {
        throw new UnsupportedOperationException("not yet");
    }

    /** @return the established pairs, a snapshot */
    public Collection<ConnectionPair> pairs() {
        throw new UnsupportedOperationException("not yet");
    }

    /** @return how many pairs are established now */
    public int openPairs() {
        throw new UnsupportedOperationException("not yet");
    }

    /** @return how many handshakes are between request and pair (or refusal) now */
    public int pendingHandshakes() {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Stops taking handshakes (503 {@code GATEWAY_SHUTTING_DOWN}) and closes both sides of every
     * pair with 1001.
     */
    public void shutdown() {
        throw new UnsupportedOperationException("not yet");
    }
}
