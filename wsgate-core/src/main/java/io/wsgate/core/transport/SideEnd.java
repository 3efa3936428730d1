package io.wsgate.core.transport;

import java.util.Objects;

/**
 * How one connection of a pair ended, as its transport reports it to {@link PairRelay#ended(Peer, SideEnd)}.
 *
 * @param kind   what happened
 * @param code   the close code: as received for {@link Kind#CLOSED}, as sent by the transport for
 *               {@link Kind#PROTOCOL_ERROR}; 1006 when no close frame was exchanged
 * @param reason the close reason; empty when there is none
 */
public record SideEnd(Kind kind, int code, String reason) {

    /** What ended the connection. */
    public enum Kind {
        /** The peer completed or started a close handshake. */
        CLOSED,
        /** No frame crossed the connection within the idle timeout. */
        IDLE_TIMEOUT,
        /** The peer broke the protocol (bad frame, bad UTF-8, bad close code, too large); the transport closed it with {@code code}. */
        PROTOCOL_ERROR,
        /** The connection dropped (TCP reset or end of stream) without a close handshake. */
        DISCONNECTED,
        /** Any other failure of the transport. */
        FAILED
    }

    /** Checks the fields. */
    public SideEnd {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
    }
}
