package io.wsgate.core;

import io.wsgate.api.CloseInitiator;

import java.util.Objects;

/**
 * How a pair ended, for the access log and metrics.
 *
 * @param closedBy    who ended it
 * @param closeCode   the close code that ended it (as received from the closer, or the gateway's own)
 * @param closeReason the reason, empty when none
 * @param durationMillis how long the pair lived
 */
public record PairEnd(CloseInitiator closedBy, int closeCode, String closeReason, long durationMillis) {
    /** Checks the fields. */
    public PairEnd {
        Objects.requireNonNull(closedBy, "closedBy");
        Objects.requireNonNull(closeReason, "closeReason");
    }
}
