package io.wsgate.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A time at which the gateway closes an established pair by itself, on both sides, with this code and
 * reason. A handshake policy asks for one by leaving it as the attribute {@link #ATTRIBUTE}
 * ({@code HandshakeDecision.proceed().withAttribute(PairDeadline.ATTRIBUTE, deadline)}); validate-jwt
 * leaves one at the token's expiry (plus its clock skew) when the API enforces token expiry. The
 * gateway's timer for it leaves with the pair.
 *
 * @param at     when to close the pair
 * @param code   the close code both sides get (a code that may go on the wire, such as 1008)
 * @param reason the close reason, at most 123 bytes of UTF-8
 * @param cause  why, as the access log and listeners report it ({@link CloseCause#TOKEN_EXPIRED} for a token)
 */
public record PairDeadline(Instant at, int code, String reason, CloseCause cause) {

    /** The attribute a handshake policy leaves a {@link PairDeadline} in. */
    public static final String ATTRIBUTE = "wsgate.pair.deadline";

    /** Checks every field. */
    public PairDeadline {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(cause, "cause");
        if (!CloseStatus.isWireCode(code)) {
            throw new IllegalArgumentException("a pair deadline's close code must be one that may go on the wire, got " + code);
        }
        CloseStatus.of(code, reason); // checks the reason: at most 123 bytes of UTF-8
    }
}
