package io.wsgate.core;

import io.wsgate.api.HandshakeRequest;

import java.time.Duration;
import java.util.Objects;

/**
 * How one handshake ended, as a {@link GatewayListener} hears it.
 *
 * @param requestId the handshake's request id
 * @param api       the name of the API it reached; {@code "-"} when it reached none
 * @param request   the client's request
 * @param status    the status the client got: 101, or the error's status (499 when the client left)
 * @param error     the gateway error code the client got ({@code API_NOT_FOUND}, {@code BACKEND_TIMEOUT},
 *                  a policy's own code...); {@code "none"} for an accepted handshake
 * @param duration  from the request's arrival to its 101 or error response
 */
public record HandshakeOutcome(String requestId, String api, HandshakeRequest request, int status, String error,
                               Duration duration) {

    /** The error of an accepted handshake. */
    public static final String NO_ERROR = "none";

    /** Checks every field. */
    public HandshakeOutcome {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(duration, "duration");
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be 100 to 599, got " + status);
        }
    }
}
