package io.wsgate.core.transport;

import io.wsgate.api.Headers;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The HTTP response a refused handshake gets, ready for a transport to write.
 *
 * @param status      the HTTP status
 * @param code        the error code (for the access log)
 * @param headers     the response headers, {@code Content-Type} included when there is a body
 * @param body        the response body (UTF-8)
 */
public record ErrorResponse(int status, String code, Headers headers, String body) {

    /** Checks every field. */
    public ErrorResponse {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("error status must be 400 to 599, got " + status);
        }
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
    }

    /** @return the body encoded as UTF-8 */
    public byte[] bodyBytes() {
        return body.getBytes(StandardCharsets.UTF_8);
    }
}
