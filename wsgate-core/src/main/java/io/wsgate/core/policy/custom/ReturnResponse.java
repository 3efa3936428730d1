package io.wsgate.core.policy.custom;

import io.wsgate.api.HandshakeContext;
import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakePolicy;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The return-response policy: refuses every handshake with a configured response (for instance an API in
 * maintenance). Place it behind a condition in a custom policy, or alone.
 *
 * <pre>{@code
 * HandshakePolicy closed = ReturnResponse.of(HandshakeDecision.reject(503, "MAINTENANCE", "Back at 14:00.")
 *         .withHeader("Retry-After", "3600"));
 * }</pre>
 *
 * @param response the rejection every handshake gets (its empty body means the gateway's error template)
 */
public record ReturnResponse(HandshakeDecision.Reject response) implements HandshakePolicy {

    /** Checks the field. */
    public ReturnResponse {
        Objects.requireNonNull(response, "response");
    }

    /**
     * @param response the rejection
     * @return the policy
     */
    public static ReturnResponse of(HandshakeDecision.Reject response) {
        return new ReturnResponse(response);
    }

    /**
     * @param status  400 to 599
     * @param code    the error code
     * @param message the message
     * @return the policy
     */
    public static ReturnResponse of(int status, String code, String message) {
        return new ReturnResponse(HandshakeDecision.reject(status, code, message));
    }

    @Override
    public String name() {
        return "return-response";
    }

    @Override
    public CompletionStage<HandshakeDecision> evaluate(HandshakeContext context) {
        return CompletableFuture.completedFuture(response);
    }
}
