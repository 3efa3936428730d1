package io.wsgate.api;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * What a {@link MessagePolicy} decided for one frame. Immutable. {@link #forward()} and {@link #drop()} are
 * constants (no allocation); the others carry what they need.
 *
 * <ul>
 *   <li>{@link #forward()}: the frame goes on (to the next policy, then to the other side), payload not copied.</li>
 *   <li>{@link #replace(ByteBuffer)}: the frame goes on with this payload instead, keeping its type and its place
 *       in the message (a replaced fragment stays a fragment with the same first/last flags). A text frame's
 *       replacement must keep the message valid UTF-8: the gateway checks the replaced message and closes the
 *       pair with 1011 if a policy broke it.</li>
 *   <li>{@link #drop()}: the frame is not relayed. Dropping the first frame of a message drops the whole message
 *       (its continuations are dropped without being shown to the policies). Dropping a later fragment of a
 *       message whose first frame went on relays an empty fragment in its place, so the other side still
 *       receives a well-formed message.</li>
 *   <li>{@link #close(int, String)}: the pair is closed: the sender of the frame gets this code and reason, the
 *       other side 1001 (the sender was the client) or 1011 (the backend); the frame is not relayed.</li>
 *   <li>{@link #later(CompletionStage)}: the verdict is not known yet; the direction waits for the stage (and
 *       reads nothing more meanwhile). A failed stage, or one completed with null or with another
 *       {@code later}, closes the pair with 1011.</li>
 * </ul>
 */
public final class MessageVerdict {

    /** What a verdict does. */
    public enum Kind {
        /** Relay the frame. */
        FORWARD,
        /** Relay the frame with another payload. */
        REPLACE,
        /** Do not relay the frame (or its message). */
        DROP,
        /** Close the pair. */
        CLOSE,
        /** Wait for the verdict. */
        LATER
    }

    private static final MessageVerdict FORWARD = new MessageVerdict(Kind.FORWARD, null, 0, "", null);
    private static final MessageVerdict DROP = new MessageVerdict(Kind.DROP, null, 0, "", null);

    private final Kind kind;
    private final ByteBuffer payload;
    private final int closeCode;
    private final String closeReason;
    private final CompletionStage<MessageVerdict> later;

    private MessageVerdict(Kind kind, ByteBuffer payload, int closeCode, String closeReason,
                           CompletionStage<MessageVerdict> later) {
        this.kind = kind;
        this.payload = payload;
        this.closeCode = closeCode;
        this.closeReason = closeReason;
        this.later = later;
    }

    /** @return relay the frame as it is */
    public static MessageVerdict forward() {
        return FORWARD;
    }

    /** @return do not relay the frame (the whole message, when it is the message's first frame) */
    public static MessageVerdict drop() {
        return DROP;
    }

    /**
     * @param payload the payload to relay instead; the gateway reads it from its position to its limit and does
     *                not modify it
     * @return relay the frame with this payload, same type and place in its message
     */
    public static MessageVerdict replace(ByteBuffer payload) {
        return new MessageVerdict(Kind.REPLACE, Objects.requireNonNull(payload, "payload").asReadOnlyBuffer(), 0, "", null);
    }

    /**
     * @param code   the close code the frame's sender gets: one that may be sent on the wire (not 1005, 1006, 1015)
     * @param reason the reason; cut to what fits in a close frame
     * @return close the pair
     * @throws IllegalArgumentException for a code that may not be sent
     */
    public static MessageVerdict close(int code, String reason) {
        if (!CloseStatus.isWireCode(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent on the wire");
        }
        return new MessageVerdict(Kind.CLOSE, null, code, CloseStatus.truncating(code, Objects.requireNonNull(reason, "reason")).reason(), null);
    }

    /**
     * @param verdict completes with the verdict (not with another {@code later}); the frame's payload stays valid
     *                until it completes
     * @return wait for the verdict without blocking
     */
    public static MessageVerdict later(CompletionStage<MessageVerdict> verdict) {
        return new MessageVerdict(Kind.LATER, null, 0, "", Objects.requireNonNull(verdict, "verdict"));
    }

    /** @return what the verdict does */
    public Kind kind() {
        return kind;
    }

    /**
     * @return the replacement payload (a read-only view)
     * @throws IllegalStateException unless this is a {@link Kind#REPLACE}
     */
    public ByteBuffer payload() {
        require(Kind.REPLACE);
        return payload.duplicate();
    }

    /**
     * @return the close code the frame's sender gets
     * @throws IllegalStateException unless this is a {@link Kind#CLOSE}
     */
    public int closeCode() {
        require(Kind.CLOSE);
        return closeCode;
    }

    /**
     * @return the close reason the frame's sender gets
     * @throws IllegalStateException unless this is a {@link Kind#CLOSE}
     */
    public String closeReason() {
        require(Kind.CLOSE);
        return closeReason;
    }

    /**
     * @return the pending verdict
     * @throws IllegalStateException unless this is a {@link Kind#LATER}
     */
    public CompletionStage<MessageVerdict> stage() {
        require(Kind.LATER);
        return later;
    }

    private void require(Kind expected) {
        if (kind != expected) {
            throw new IllegalStateException("a " + kind + " verdict has no " + expected + " part");
        }
    }

    /** Kind and, for a close, its code; never a payload. */
    @Override
    public String toString() {
        return switch (kind) {
            case CLOSE -> "MessageVerdict[CLOSE " + closeCode + " " + closeReason + "]";
            case REPLACE -> "MessageVerdict[REPLACE len=" + payload.remaining() + "]";
            default -> "MessageVerdict[" + kind + "]";
        };
    }
}
