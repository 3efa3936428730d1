package io.wsgate.core;

import io.wsgate.api.CloseCause;
import io.wsgate.api.CloseInitiator;
import io.wsgate.api.CloseStatus;

import java.util.Objects;

/**
 * How a pair ended, for the access log and listeners: made once by the relay when both sides have ended.
 *
 * @param closedBy       who ended it: a side (its close frame, or its connection dropping) or the gateway
 * @param cause          why, by category
 * @param close          the close that ended it: the closer's close frame, the gateway's own close, or
 *                       {@link CloseStatus#ABNORMAL} when a side vanished without one
 * @param clientGot      the close frame the gateway sent the client; {@link CloseStatus#ABNORMAL} when it sent none
 * @param backendGot     the close frame the gateway sent the backend; {@link CloseStatus#ABNORMAL} when it sent none
 * @param durationMillis how long the pair lived
 */
public record PairEnd(CloseInitiator closedBy, CloseCause cause, CloseStatus close, CloseStatus clientGot,
                      CloseStatus backendGot, long durationMillis) {
    /** Checks the fields. */
    public PairEnd {
        Objects.requireNonNull(closedBy, "closedBy");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(close, "close");
        Objects.requireNonNull(clientGot, "clientGot");
        Objects.requireNonNull(backendGot, "backendGot");
    }

    /** @return the code of the close that ended the pair */
    public int closeCode() {
        return close.code();
    }

    /** @return the reason of the close that ended the pair, empty when none */
    public String closeReason() {
        return close.reason();
    }
}
