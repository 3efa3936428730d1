package io.wsgate.core.policy;

import io.wsgate.api.HandshakeDecision;

/**
 * The errors the built-in policies and subscription selection refuse a handshake with: code, default
 * status and default message. A proposed addition to the gateway's error table
 * ({@link io.wsgate.core.GatewayError}); a refusal made here carries no body, so the gateway renders it
 * with its error template and any override of its code.
 */
public enum PolicyError {
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
    /** connection limits: too many concurrent pairs for the gateway, the API or the key. */
    CONNECTION_LIMIT(429, "Too many concurrent connections."),
    /** custom authorizer: the user's code failed or did not answer in time. */
    AUTHORIZER_UNAVAILABLE(503, "The authorization service is unavailable.");

    private final int status;
    private final String message;

    PolicyError(int status, String message) {
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

    /** @return a rejection with this error's status, code and message, rendered by the gateway's template */
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
