package io.wsgate.api;

/**
 * A policy on the frames of established pairs: it sees every data frame of a pair in one direction, in
 * order, and decides what becomes of it ({@link MessageVerdict}). Handshake policies decide who may
 * connect; message policies protect the backend (and the client) from what flows once connected.
 *
 * <p><b>What a policy sees.</b> Data frames only: {@link FrameType#UTF8_MESSAGE}, {@link FrameType#UTF8_FRAGMENT},
 * {@link FrameType#BINARY_MESSAGE}, {@link FrameType#BINARY_FRAGMENT}. Pings, pongs and closes go end to end
 * without passing through message policies. The gateway's own checks (the API's {@code maxMessageSize},
 * UTF-8 validity of text) run before the policies: a frame a policy sees has passed them.
 *
 * <p><b>Where it runs.</b> Policies are placed in scopes exactly like handshake policies (global, product, API
 * and the API's {@code onMessage} operation, with {@code base}), each for a direction: {@code inbound}
 * (client to backend), {@code outbound} (backend to client) or both. One chain per direction is resolved per
 * configuration; a frame goes through the chain in order, and the first verdict other than
 * {@link MessageVerdict#forward()} ends it (a {@link MessageVerdict#replace replacement} goes on to the next
 * policy as the frame it sees).
 *
 * <p><b>Threads and cost.</b> {@link #onFrame} is called on the transport thread that read the frame (or, after
 * an earlier policy's {@link MessageVerdict#later later}, on the thread that completed its stage), one frame at a
 * time per direction (the next frame of that direction is not read until the verdict has been carried out): it
 * must not block. A policy that must call out returns {@link MessageVerdict#later}; while
 * that stage is pending the direction reads nothing more (backpressure holds). {@link #onFrame} must not
 * allocate on the common path: {@link MessageVerdict#forward()} and {@link MessageVerdict#drop()} are
 * constants, and the context is a view the gateway reuses.
 *
 * <p><b>State per pair.</b> {@link #open} is called when a pair opens, once for each direction the policy is
 * placed on; what it returns sees only that pair's frames in that direction, and {@link #closed} is called
 * on it exactly once when the pair has ended (whatever ended it), never while one of its {@link #onFrame} calls
 * runs. Nothing a policy keeps for a pair must outlive that call. A stage still pending when the pair ends is not
 * waited for (its frame is let go, its verdict ignored): {@link #closed} may come before it completes. A stateless policy keeps the default ({@code open} returns {@code this}).
 *
 * <p><b>Failures.</b> A policy that throws, returns null, or whose stage fails (or completes with null or another
 * {@code later}), and one whose {@link #open} throws or returns null, closes that pair with 1011 on both sides
 * ("Internal error", {@link CloseCause#POLICY}; the pair id, request id and policy name in the gateway's log); it
 * never harms another pair or the gateway.
 */
@FunctionalInterface
public interface MessagePolicy {

    /**
     * Decides one data frame.
     *
     * @param context the pair, the direction and where the frame stands in its message; valid during this
     *                call only (and, for {@link MessageVerdict#later}, until the stage completes)
     * @param frame   the frame; its payload must not be modified, and is valid as long as the context
     * @return what becomes of the frame; never null
     */
    MessageVerdict onFrame(MessageContext context, Frame frame);

    /** @return the policy's name in logs and in an API's explained chain; the class's simple name by default */
    default String name() {
        String simple = getClass().getSimpleName();
        return simple.isEmpty() ? getClass().getName() : simple;
    }

    /**
     * A pair opened: the policy as it applies to that pair in that direction. Called on the thread that
     * established the pair, before any of its frames.
     *
     * @param pair      the pair
     * @param direction the direction this instance will see
     * @return the instance that decides that pair's frames in that direction; {@code this} by default
     */
    default MessagePolicy open(ConnectionPair pair, Direction direction) {
        return this;
    }

    /**
     * The pair ended: called exactly once on each instance {@link #open} returned, on the thread that saw
     * the pair end. Release what was kept for the pair here.
     *
     * @param pair the pair, its counts final
     */
    default void closed(ConnectionPair pair) {
    }
}
