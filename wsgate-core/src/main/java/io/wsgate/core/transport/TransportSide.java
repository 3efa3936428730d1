package io.wsgate.core.transport;

import io.wsgate.api.CloseStatus;
import io.wsgate.api.Completion;
import io.wsgate.api.Frame;

import java.nio.ByteBuffer;

/**
 * One connection of a pair as a transport adapter exposes it to the relay: where the relay
 * writes frames. Implemented by adapters; called by the relay, never concurrently for the same
 * direction (one frame in flight per direction).
 */
public interface TransportSide {

    /**
     * Joins this connection to its pair and starts reading it: every frame read goes to
     * {@link PairRelay#forward} (the next is read only when that frame's completion is called), and the
     * connection's end to {@link PairRelay#ended}, also when it ended before this call. Called once, by
     * the gateway, when the pair is established.
     *
     * @param relay the pair's relay
     */
    void start(PairRelay relay);

    /**
     * Writes one frame to this connection. A {@link io.wsgate.api.FrameType#CLOSE} frame starts or
     * answers the close handshake with the code and reason in its payload.
     *
     * @param frame the frame; its payload belongs to the other side's transport until {@code done} completes
     * @param done  completed exactly once: when the frame has been written, or failed when it cannot be (the
     *              relay reuses one completion per direction, so a second call would complete the next frame)
     */
    void send(Frame frame, Completion done);

    /**
     * Writes the gateway's own ping (a keepalive) to this connection: at once when nothing is being written,
     * else right after the frame being written and before the next one. Unlike {@link #send}, it may be called
     * at any time, also while a relayed frame's write is in flight; a ping still waiting to be written is
     * replaced by this one. Dropped once this connection's close frame is sent or waiting. Called by the gateway
     * on its scheduler's thread.
     *
     * @param payload the ping's payload, at most 125 bytes, position to limit; read-only, the transport may keep it
     */
    void ping(ByteBuffer payload);

    /**
     * Closes this connection as the gateway's own decision: sends a close frame with this code and
     * reason when its output is still open, then closes the connection once the peer answered (or the
     * close handshake's deadline passed). A connection in no pair (its handshake partner failed) reads on
     * for that answer only. Idempotent.
     *
     * @param code   a close code that may go on the wire (never 1005, 1006 or 1015)
     * @param reason a reason, at most 123 bytes of UTF-8
     */
    void close(int code, String reason);

    /** Drops the connection without a close handshake. Idempotent. */
    void abort();

    /**
     * Whether a close frame may carry this code on the wire: the rule is {@link CloseStatus#isWireCode}.
     *
     * @param code a close code
     * @return true if a close frame may carry it
     */
    static boolean isWireCloseCode(int code) {
        return CloseStatus.isWireCode(code);
    }
}
