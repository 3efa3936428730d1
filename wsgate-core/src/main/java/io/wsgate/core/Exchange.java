package io.wsgate.core;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.HandshakeRequest;

import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * One client handshake on its way through the gateway, driven by a transport adapter:
 * <ol>
 *   <li>{@link #validate()}: route to an API and check the upgrade (404, 426, 400, 405, 403);</li>
 *   <li>{@link #admit()}: run the API's policy chain (reject, or the backend request to send);</li>
 *   <li>the adapter connects to the backend, then reports {@link #backendFailed} (an error response
 *       for the client) or, after the backend answered 101 and the client was upgraded,
 *       {@link #establish} (the pair's relay);</li>
 *   <li>{@link #abandon} when the client leaves or its upgrade fails after admission.</li>
 * </ol>
 * Every refusal is logged on {@code wsgate.access} as it is produced; an established pair is
 * logged when it ends. Exactly one of {@code validate}'s error, {@code admit}'s refusal,
 * {@code backendFailed}, {@code establish} or {@code abandon} ends an exchange.
 */
public final class Exchange {

    Exchange() {
    }

    /** @return the id of this handshake (in the access log, the MDC and every error body) */
    public String requestId() {
        throw new UnsupportedOperationException("not yet");
    }

    /** @return the client's request */
    public HandshakeRequest request() {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Routes the request to an API and checks that it is a well-formed WebSocket upgrade.
     *
     * @return the error response to write, or empty when the handshake may go on
     */
    public Optional<ErrorResponse> validate() {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * @return the API the request reached
     * @throws IllegalStateException before {@link #validate()} succeeded
     */
    public ApiDefinition api() {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Runs the API's effective policy chain. Never completes exceptionally: a policy that throws,
     * fails or times out becomes a 500 refusal.
     *
     * @return the admission: the backend request to send, or the response to write
     */
    public CompletionStage<Admission> admit() {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * The backend handshake failed.
     *
     * @param failure what happened
     * @return the response to write to the client (no internal address, no stack trace)
     */
    public ErrorResponse backendFailed(BackendFailure failure) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Both handshakes succeeded: the pair is established.
     *
     * @param subprotocol the subprotocol the backend chose; empty for none
     * @param backendUri  the URI the gateway connected to
     * @param client      the client's connection
     * @param backend     the backend's connection
     * @return the relay the transport hands every frame and every end to
     */
    public PairRelay establish(String subprotocol, URI backendUri, TransportSide client, TransportSide backend) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * The exchange ended before a pair was established for another reason than an error response
     * (the client left while the backend was connecting, the client upgrade failed).
     *
     * @param why a short description for the log
     */
    public void abandon(String why) {
        throw new UnsupportedOperationException("not yet");
    }
}
