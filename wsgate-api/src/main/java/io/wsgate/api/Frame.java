package io.wsgate.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One WebSocket frame as it crosses the gateway.
 *
 * <p>The payload is the transport's own buffer, passed without a copy: it is valid only until
 * the {@link Completion} handed along with the frame has completed. It is writable, and the
 * transport that writes it may change it: a transport masks a frame to a backend in place (RFC 6455
 * §5.3), so after it has been sent the payload's bytes are not the frame's any more. Code that
 * needs them after the send (a policy, a recorder) reads or copies them before.
 *
 * @param type    what kind of frame this is
 * @param payload its unmasked payload (position to limit)
 * @param first   true when this frame starts a message (always true for whole messages and control frames)
 * @param last    true when this frame ends a message (always true for whole messages and control frames)
 */
public record Frame(FrameType type, ByteBuffer payload, boolean first, boolean last) {

    /** Checks that the frame's flags fit its type. */
    public Frame {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        boolean whole = type != FrameType.UTF8_FRAGMENT && type != FrameType.BINARY_FRAGMENT;
        if (whole && !(first && last)) {
            throw new IllegalArgumentException(type + " frame must be both first and last");
        }
        if (!whole && first && last) {
            throw new IllegalArgumentException(type + " frame cannot be both first and last: use a *_MESSAGE type");
        }
    }

    /** @return the number of payload bytes */
    public int length() {
        return payload.remaining();
    }

    /**
     * @return the close code of a close frame; {@link CloseStatus#NO_STATUS} (1005) when its payload is empty
     * @throws IllegalStateException when this is not a close frame
     */
    public int closeCode() {
        requireClose();
        if (payload.remaining() < 2) {
            return CloseStatus.NO_STATUS;
        }
        return ((payload.get(payload.position()) & 0xFF) << 8) | (payload.get(payload.position() + 1) & 0xFF);
    }

    /**
     * @return the close reason of a close frame; empty when there is none
     * @throws IllegalStateException when this is not a close frame
     */
    public String closeReason() {
        requireClose();
        if (payload.remaining() <= 2) {
            return "";
        }
        ByteBuffer reason = payload.slice(payload.position() + 2, payload.remaining() - 2);
        return StandardCharsets.UTF_8.decode(reason).toString();
    }

    private void requireClose() {
        if (type != FrameType.CLOSE) {
            throw new IllegalStateException("not a close frame: " + type);
        }
    }

    /** Type and length only: payloads are never printed. */
    @Override
    public String toString() {
        return "Frame[" + type + (first ? ",first" : "") + (last ? ",last" : "") + ",len=" + payload.remaining() + "]";
    }
}
