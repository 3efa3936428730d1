package io.wsgate.core.transport;

import io.wsgate.api.CloseCause;
import io.wsgate.api.Completion;
import io.wsgate.api.ConnectionPair;
import io.wsgate.api.Direction;
import io.wsgate.api.Frame;

/**
 * The relay of one established pair, as a transport adapter drives it: every frame read from
 * either connection goes to {@link #forward}, and the end of either connection to {@link #ended}.
 * Made by the gateway when both handshakes succeeded, and given to both sides with {@link TransportSide#start}.
 * Transport adapters drive it; applications never implement it (what they plug into the frame path is an
 * {@link io.wsgate.api.MessagePolicy}).
 */
public interface PairRelay extends ConnectionPair {

    /**
     * Forwards one frame. The transport reads the next frame from that side only after {@code done} has
     * completed: at most one frame is in flight per direction, so a pair's memory is bounded by the frame size
     * limit whatever a slow peer (or a slow message policy) does. {@code done} succeeds once the frame has been
     * written to the other side (or dropped: by a message policy, or because the pair is closing), and fails when
     * it could not be written (the relay then closes both sides). Called on the transport's thread; never blocks.
     *
     * @param from  which side sent the frame
     * @param frame the frame; its payload is valid until {@code done} completes and is not retained after
     * @param done  completed once: when the frame has been written to the other side, dropped, or has failed
     */
    void forward(Direction from, Frame frame, Completion done);

    /**
     * The transport reports that one connection has ended. The relay closes the other one with
     * the same code and reason after a close handshake, or with 1001 (the client went away) or
     * 1011 (the backend failed) otherwise, and forgets the pair once both have ended.
     *
     * @param peer which connection ended
     * @param end  how
     */
    void ended(Peer peer, SideEnd end);

    /**
     * Closes both sides with this code and reason, as the gateway's own decision for this cause (what the
     * access log and listeners report); {@link io.wsgate.api.ConnectionPair#close(int, String)} is this with
     * {@link CloseCause#APPLICATION}. Called by the transport (an idle timeout) and the gateway (drain, token expiry).
     *
     * @param code   a close code that may be sent on the wire (not 1005, 1006 or 1015)
     * @param reason a reason; cut to what fits in a close frame
     * @param cause  why the gateway closes the pair
     */
    void close(int code, String reason, CloseCause cause);

    /**
     * Drops both connections at once ({@link TransportSide#abort}), without waiting for a close handshake, and
     * ends the pair now: its end is reported before this returns (a side that had not ended counts as
     * disconnected; what each side got is the close frame the gateway had sent it, if any), and what the
     * transports report later is ignored. Called by the gateway when a drain's timeout passed. Idempotent.
     *
     * @param cause why the gateway ends the pair, when nothing ended it before (a close keeps its own)
     */
    void abort(CloseCause cause);
}
