package io.wsgate.core.error;

import io.wsgate.api.HandshakeDecision;

/**
 * Every error the gateway itself can answer a handshake with: its code (in the JSON body and
 * the access log), its default HTTP status and its default message. The one table of errors;
 * a gateway or an API may override any entry's status, headers and body.
 */
public enum GatewayError {
    /** No API's URL suffix matches the request path. */
    API_NOT_FOUND(404, "No API matches this path."),
    /** The request is not a WebSocket upgrade; the response carries {@code Upgrade: websocket}. */
    UPGRADE_REQUIRED(426, "This endpoint accepts WebSocket upgrades only."),
    /** The upgrade asks for a WebSocket version other than 13; the response carries {@code Sec-WebSocket-Version: 13}. */
    UNSUPPORTED_WEBSOCKET_VERSION(426, "Unsupported WebSocket version; use 13."),
    /** The upgrade is malformed (missing or bad {@code Sec-WebSocket-Key}, bad headers). */
    BAD_HANDSHAKE(400, "Malformed WebSocket handshake."),
    /** The upgrade does not use GET; the response carries {@code Allow: GET}. */
    METHOD_NOT_ALLOWED(405, "A WebSocket handshake must use GET."),
    /** The API does not accept the scheme (ws or wss) the client used. */
    SCHEME_NOT_ALLOWED(403, "This API does not accept this URL scheme."),
    /** A policy threw or its stage failed; the cause is logged, never sent. */
    POLICY_ERROR(500, "The gateway failed to evaluate the handshake."),
    /** An unexpected failure inside the gateway. */
    INTERNAL_ERROR(500, "Internal gateway error."),
    /** The backend answered the upgrade with an HTTP status other than 101; the backend's status is used. */
    BACKEND_REJECTED(502, "The backend refused the WebSocket upgrade."),
    /** The backend refused or reset the connection. */
    BACKEND_UNAVAILABLE(502, "The backend is unavailable."),
    /** The backend's host name does not resolve. */
    BACKEND_DNS_FAILURE(502, "The backend's host name could not be resolved."),
    /** The backend answered 101 with an invalid handshake (accept key, subprotocol or extension). */
    BACKEND_HANDSHAKE_INVALID(502, "The backend answered with an invalid WebSocket handshake."),
    /** The backend did not complete the handshake within the API's handshake timeout. */
    BACKEND_TIMEOUT(504, "The backend did not answer in time."),
    /** The gateway is draining (shutting down) and takes no new connection; carries {@code Retry-After} and {@code Connection: close}. */
    GATEWAY_DRAINING(503, "The gateway is draining; retry later."),
    /** validate-jwt: missing, malformed, badly signed, expired or otherwise invalid token; carries {@code WWW-Authenticate}. */
    UNAUTHORIZED(401, "A valid access token is required."),
    /** A request without a subscription key to an API that needs one. */
    SUBSCRIPTION_KEY_MISSING(401, "A subscription key is required."),
    /** A subscription key that belongs to no product of the API. */
    SUBSCRIPTION_KEY_INVALID(401, "The subscription key is not valid for this API."),
    /** ip-filter: the client address is not allowed. */
    IP_FORBIDDEN(403, "The client address is not allowed."),
    /** check-origin: the Origin header is missing or not allowed. */
    ORIGIN_FORBIDDEN(403, "The origin is not allowed."),
    /** check-header: a required header is missing or has a value not allowed (401 or 403 as configured). */
    HEADER_FORBIDDEN(403, "A required header is missing or not allowed."),
    /** rate-limit-by-key: too many handshakes for the key in the period; carries {@code Retry-After}. */
    RATE_LIMITED(429, "Too many connection attempts; retry later."),
    /** quota-by-key: the key's quota of handshakes for the period is used up; carries {@code Retry-After}. */
    QUOTA_EXCEEDED(403, "The connection quota is used up; retry later."),
    /** Connection limits: too many concurrent pairs for the gateway, the API or the key; carries {@code Retry-After}. */
    CONNECTION_LIMIT(429, "Too many concurrent connections."),
    /** custom authorizer: the user's code failed or did not answer in time. */
    AUTHORIZER_UNAVAILABLE(503, "The authorization service is unavailable."),
    /** A shared limit store (Redis) did not answer in time and the gateway fails closed; carries {@code Retry-After}. */
    LIMIT_STORE_UNAVAILABLE(503, "The connection limits cannot be checked now; retry later.");

    private final int status;
    private final String message;

    GatewayError(int status, String message) {
        this.status = status;
        this.message = message;
    }

    /** @return the default HTTP status */
    public int status() {
        return status;
    }

    /** @return the default message shown to the client */
    public String message() {
        return message;
    }

    /** @return the code in the response body and access log: the constant's name */
    public String code() {
        return name();
    }

    /** @return a policy's rejection with this error's status, code and message, rendered by the gateway's template */
    public HandshakeDecision.Reject reject() {
        return HandshakeDecision.reject(status, code(), message);
    }

    /**
     * @param status another status for this error (e.g. 401 for check-header)
     * @return a rejection with that status and this error's code and message
     */
    public HandshakeDecision.Reject reject(int status) {
        return HandshakeDecision.reject(status, code(), message);
    }
}
