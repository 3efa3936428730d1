package io.wsgate.core.transport;

import io.wsgate.api.Headers;

import java.util.Objects;

/**
 * Why the gateway's handshake to a backend failed, as a {@link BackendConnector} reports it. The gateway
 * alone decides what follows: the next backend for {@link Unreachable} and {@link UnknownHost} (no backend
 * answered, so another may), else the client's error response.
 */
public sealed interface BackendFailure {

    /**
     * The backend answered with an HTTP status other than 101.
     *
     * @param status  the backend's status
     * @param headers the backend's response headers (only safe ones reach the client)
     * @param body    the backend's response body, UTF-8 (truncated by the transport to a small bound)
     */
    record Refused(int status, Headers headers, String body) implements BackendFailure {
        /** Checks every field. */
        public Refused {
            Objects.requireNonNull(headers, "headers");
            Objects.requireNonNull(body, "body");
        }
    }

    /**
     * The backend could not be reached (connection refused or reset, TLS failure).
     *
     * @param cause the transport's exception, logged, never sent
     */
    record Unreachable(Throwable cause) implements BackendFailure {
        /** Checks the field. */
        public Unreachable {
            Objects.requireNonNull(cause, "cause");
        }
    }

    /**
     * The backend's host name did not resolve.
     *
     * @param host the host name
     */
    record UnknownHost(String host) implements BackendFailure {
        /** Checks the field. */
        public UnknownHost {
            Objects.requireNonNull(host, "host");
        }
    }

    /** The backend did not complete the handshake within the API's handshake timeout. */
    record Timeout() implements BackendFailure {
    }

    /**
     * The backend answered 101 with a handshake the gateway must not accept (wrong
     * {@code Sec-WebSocket-Accept}, a subprotocol or extension the client never offered).
     *
     * @param reason what was wrong, logged, never sent
     */
    record InvalidHandshake(String reason) implements BackendFailure {
        /** Checks the field. */
        public InvalidHandshake {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The backend request cannot be sent: the policies made a header, a subprotocol or a URI that HTTP/1.1
     * cannot carry. Found before any connection; a gateway fault (500 {@code POLICY_ERROR}), never failed over.
     *
     * @param reason what cannot be sent, logged, never sent
     */
    record InvalidRequest(String reason) implements BackendFailure {
        /** Checks the field. */
        public InvalidRequest {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
