package io.wsgate.core.transport;

import io.wsgate.api.ApiLimits;

import java.util.concurrent.CompletionStage;

/**
 * The port through which the gateway answers one client's upgrade request: a transport adapter makes one
 * per request and hands it to {@link io.wsgate.core.Gateway#handshake}; the gateway calls exactly one of
 * {@link #reject} and {@link #upgrade}, once, when its checks, policies and backend handshake have decided.
 * Both are called on whatever thread completed the deciding step and must not block it.
 */
public interface ClientHandshake {

    /**
     * Answers the client with an error response (no backend connection is open for it).
     *
     * @param response the status, headers and body to write
     */
    void reject(ErrorResponse response);

    /**
     * Answers the client's upgrade with success (101 on HTTP/1.1, 200 on an HTTP/2 stream) carrying this
     * subprotocol and no extension, and puts the gateway's connection on it. The request has passed the
     * gateway's own upgrade check ({@code validate}), which accepts nothing the transport would then refuse.
     *
     * @param subprotocol the subprotocol the backend chose; empty for none
     * @param limits      the API's limits for the client's connection (frame size, idle timeout)
     * @return completes with the client's connection, open and not yet reading; completes exceptionally
     *         when the upgrade could not be written (the client left): the gateway then closes the backend
     */
    CompletionStage<TransportSide> upgrade(String subprotocol, ApiLimits limits);
}
