package io.wsgate.api;

/**
 * Carries the frames of one established {@link ConnectionPair} from one side to the other.
 *
 * <p>A transport adapter hands every frame it reads from either side to the pair's relay and
 * reads the next frame from that side only after {@code done} has completed: at most one frame
 * is in flight per direction, so a pair's memory is bounded by the frame size limit whatever a
 * slow peer does. {@code done} succeeds once the frame has been written to the other side, and
 * fails when it could not be (the relay then closes both sides).
 *
 * <p>Implementations must not block and must not retain the frame's payload after {@code done}.
 */
@FunctionalInterface
public interface FrameRelay {

    /**
     * Forwards one frame.
     *
     * @param from  which side sent the frame
     * @param frame the frame; its payload is valid until {@code done} completes
     * @param done  completed once, when the frame has been written to the other side or has failed
     */
    void forward(Direction from, Frame frame, Completion done);
}
