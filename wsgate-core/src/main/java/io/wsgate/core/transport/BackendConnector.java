package io.wsgate.core.transport;

import io.wsgate.api.ApiLimits;
import io.wsgate.api.BackendRequest;

import java.util.concurrent.CompletionStage;

/**
 * The port through which the gateway opens its WebSocket to a backend. A transport adapter implements it
 * once (the Jetty adapter on Jetty's {@code ClientConnector}); the gateway's exchange calls it for each
 * backend it tries, in order, and decides alone what a failure means (failover, error response).
 */
public interface BackendConnector {

    /**
     * Opens one backend WebSocket: the request's URI, headers and offered subprotocols, no extension,
     * within {@code limits.handshakeTimeout()}. Must not block the calling thread (it may be a selector).
     * The connection it returns reads nothing until {@link TransportSide#start} is called on it.
     *
     * <p>Called by the gateway's exchange, on whatever thread completed the previous step of the
     * handshake (a policy's, the transport's).
     *
     * @param request the backend handshake the policies made
     * @param limits  the API's limits: the handshake timeout, and the frame size and idle timeout of the
     *                connection once open
     * @return completes with the outcome, a connected backend or a classified failure; a stage that
     *         completes exceptionally is taken as {@link BackendFailure.Unreachable}
     */
    CompletionStage<BackendOutcome> connect(BackendRequest request, ApiLimits limits);
}
