package io.wsgate.api;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * One established pair: a client connection and the backend connection made for it.
 * Implementations are thread-safe; counters are read without locking and may lag a frame.
 */
public interface ConnectionPair {

    /** @return the pair's connection id (in the access log and the logging MDC) */
    String id();

    /** @return the id of the handshake that created the pair */
    String requestId();

    /** @return the API the pair belongs to */
    ApiDefinition api();

    /** @return the client's upgrade request */
    HandshakeRequest request();

    /** @return the backend URI the gateway connected to */
    URI backendUri();

    /** @return the subprotocol the backend chose; empty when none */
    String subprotocol();

    /** @return the attributes the policies left (for instance verified token claims) */
    Map<String, Object> attributes();

    /** @return when the pair was established */
    Instant openedAt();

    /**
     * @param direction which way
     * @return how many whole messages have been relayed that way
     */
    long messages(Direction direction);

    /**
     * @param direction which way
     * @return how many payload bytes have been relayed that way
     */
    long bytes(Direction direction);

    /** @return true once both sides have been closed or closing has begun */
    boolean isClosed();

    /**
     * Closes both sides with this code and reason, as the gateway's own decision.
     *
     * @param code   a close code that may be sent on the wire (not 1005, 1006 or 1015)
     * @param reason a reason, at most 123 bytes of UTF-8
     */
    void close(int code, String reason);
}
