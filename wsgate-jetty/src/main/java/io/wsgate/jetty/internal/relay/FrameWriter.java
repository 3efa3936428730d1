package io.wsgate.jetty.internal.relay;

import io.wsgate.api.CloseStatus;
import io.wsgate.api.Frame;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import static io.wsgate.jetty.internal.relay.OpCode.BINARY;
import static io.wsgate.jetty.internal.relay.OpCode.CLOSE;
import static io.wsgate.jetty.internal.relay.OpCode.CONTINUATION;
import static io.wsgate.jetty.internal.relay.OpCode.PING;
import static io.wsgate.jetty.internal.relay.OpCode.PONG;
import static io.wsgate.jetty.internal.relay.OpCode.TEXT;

/**
 * Writes RFC 6455 frames (§5.2): the header of a data or ping/pong frame, written by its connection
 * in one gathering write with the payload; whole close frames; and in the client role, a fresh
 * masking key per frame (§5.3) with the payload masked in place, so a frame to a backend costs no
 * copy (a read-only payload is the exception: it is copied to be masked).
 *
 * <p>Not thread-safe: its connection writes one data frame at a time, and the header buffer is
 * reused for each. Close frames and the gateway's own pings have buffers of their own (they may wait
 * behind a data frame).
 */
final class FrameWriter {

    /** The longest frame header: two bytes, a 64-bit length, a masking key. */
    static final int MAX_HEADER = 14;

    private final boolean masks;
    /** The header of the data frame being written (one at a time). */
    private final ByteBuffer header = ByteBuffer.allocateDirect(MAX_HEADER);

    /** @param role which end the gateway is on this connection */
    FrameWriter(Role role) {
        this.masks = Objects.requireNonNull(role, "role").masks();
    }

    /**
     * @param payload a frame's payload, as the relay hands it over
     * @return the payload to write: the same buffer, or a copy when it must be masked and is read-only
     */
    ByteBuffer payloadFor(ByteBuffer payload) {
        return masks && payload.isReadOnly() ? heapCopy(payload) : payload;
    }

    /**
     * Fills the header of a data, ping or pong frame and, in the client role, masks the payload in place.
     *
     * @param frame   the frame (its type and flags)
     * @param payload the payload to write ({@link #payloadFor}), position to limit
     * @return this writer's header buffer, ready to write; valid until the next call
     */
    ByteBuffer header(Frame frame, ByteBuffer payload) {
        int length = payload.remaining();
        ByteBuffer h = header;
        h.clear();
        h.put((byte) ((frame.last() ? 0x80 : 0) | opCode(frame)));
        int maskBit = masks ? 0x80 : 0;
        if (length < 126) {
            h.put((byte) (maskBit | length));
        } else if (length <= 0xFFFF) {
            h.put((byte) (maskBit | 126));
            h.putShort((short) length);
        } else {
            h.put((byte) (maskBit | 127));
            h.putLong(length);
        }
        if (masks) {
            int key = Masks.newKey();
            h.putInt(key);
            if (length > 0) {
                Masks.apply(payload, payload.position(), length, key);
            }
        }
        return h.flip();
    }

    /**
     * @param payload a close frame's payload ({@link #closePayload}, or one received), at most 125 bytes
     * @return the whole close frame, masked in the client role, in a buffer of its own
     */
    ByteBuffer closeFrame(ByteBuffer payload) {
        return controlFrame(CLOSE, payload);
    }

    /**
     * @param payload the gateway's own ping's payload, at most 125 bytes (left as it is)
     * @return the whole ping frame, masked in the client role, in a buffer of its own
     */
    ByteBuffer pingFrame(ByteBuffer payload) {
        return controlFrame(PING, payload);
    }

    private ByteBuffer controlFrame(byte opCode, ByteBuffer payload) {
        int length = payload.remaining();
        ByteBuffer f = ByteBuffer.allocate(2 + (masks ? 4 : 0) + length);
        f.put((byte) (0x80 | opCode));
        f.put((byte) ((masks ? 0x80 : 0) | length));
        int at = f.position() + (masks ? 4 : 0);
        if (masks) {
            f.putInt(Masks.newKey());
        }
        f.put(payload.duplicate());
        if (masks && length > 0) {
            Masks.apply(f, at, length, f.getInt(at - 4));
        }
        return f.flip();
    }

    /**
     * A close frame's payload: the code, and as much of the reason as fits in a control frame
     * without cutting a character in two ({@link CloseStatus#fittingLength}).
     *
     * @param code   a close code; {@link CloseStatus#NO_STATUS} makes an empty payload (no code, no reason)
     * @param reason the reason
     * @return the payload, in a heap buffer of its own
     */
    static ByteBuffer closePayload(int code, String reason) {
        if (code == CloseStatus.NO_STATUS) {
            return ByteBuffer.allocate(0);
        }
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        int n = CloseStatus.fittingLength(r);
        ByteBuffer p = ByteBuffer.allocate(2 + n);
        p.putShort((short) code);
        p.put(r, 0, n);
        return p.flip();
    }

    /** @return the wire opcode of a frame: a fragment after the first is a continuation */
    static byte opCode(Frame frame) {
        return switch (frame.type()) {
            case UTF8_MESSAGE -> TEXT;
            case BINARY_MESSAGE -> BINARY;
            case UTF8_FRAGMENT -> frame.first() ? TEXT : CONTINUATION;
            case BINARY_FRAGMENT -> frame.first() ? BINARY : CONTINUATION;
            case CLOSE -> CLOSE;
            case PING -> PING;
            case PONG -> PONG;
        };
    }

    /** @return a heap copy of what remains of the buffer (its position left as it is) */
    static ByteBuffer heapCopy(ByteBuffer b) {
        return ByteBuffer.allocate(b.remaining()).put(b.duplicate()).flip();
    }
}
