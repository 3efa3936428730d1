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
 * Writes RFC 6455 frames (§5.2): data and ping/pong frames, written by their connection in one write;
 * whole close frames; and in the client role, a fresh masking key per frame (§5.3).
 *
 * <p>A data frame whose payload is at most {@link #COPIED_PAYLOAD} bytes is copied behind its header into
 * one buffer (masked there in the client role, the payload left as it is): on a small frame, a second
 * buffer costs the write more than copying it does. A larger payload is written as it is, in one gathering
 * write behind the header, masked in place in the client role, so a large frame to a backend costs no copy
 * (a read-only payload is the exception: it is copied to be masked).
 *
 * <p>Not thread-safe: its connection writes one data frame at a time, and the frame buffer (and the
 * arrays handed to the end point) are reused for each. Close frames and the gateway's own pings have
 * buffers of their own (they may wait behind a data frame).
 */
final class FrameWriter {

    /** The longest frame header: two bytes, a 64-bit length, a masking key. */
    static final int MAX_HEADER = 14;

    /**
     * The largest payload copied behind its header into one buffer; larger ones are written where they are.
     * Small, as the buffer is every connection's for its life: 64-byte messages (wsgate-bench's tp64) and
     * most chat, ticker and JSON traffic fit.
     */
    static final int COPIED_PAYLOAD = 256;

    private final boolean masks;
    /** The data frame being written, header and copied payload, or the header alone (one frame at a time). */
    private final ByteBuffer header = ByteBuffer.allocateDirect(MAX_HEADER + COPIED_PAYLOAD);
    /** What {@link #dataFrame} hands out: the whole frame in one buffer. */
    private final ByteBuffer[] whole = {header};
    /** What {@link #dataFrame} hands out: the header, then the payload. */
    private final ByteBuffer[] gathered = new ByteBuffer[2];

    /** @param role which end the gateway is on this connection */
    FrameWriter(Role role) {
        this.masks = Objects.requireNonNull(role, "role").masks();
    }

    /**
     * Makes a data, ping or pong frame ready to write: its payload copied behind its header when it is small
     * ({@link #COPIED_PAYLOAD}), else the header to write before the payload, which in the client role is
     * masked in place (or a copy of it, when it is read-only).
     *
     * @param frame the frame; its payload's position is left as it is when it is copied, and the end point
     *              moves it to the limit when it is written where it is
     * @return this writer's buffers to write in one gathering write, in order; valid until the next call
     */
    ByteBuffer[] dataFrame(Frame frame) {
        ByteBuffer payload = frame.payload();
        int length = payload.remaining();
        if (length <= COPIED_PAYLOAD) {
            ByteBuffer h = header(frame, length);
            int at = h.position();
            h.put(at, payload, payload.position(), length);
            if (masks && length > 0) {
                Masks.apply(h, at, length, h.getInt(at - 4));
            }
            h.limit(at + length).position(0);
            return whole;
        }
        if (masks && payload.isReadOnly()) {
            payload = heapCopy(payload);
        }
        ByteBuffer h = header(frame, length);
        if (masks) {
            Masks.apply(payload, payload.position(), length, h.getInt(h.position() - 4));
        }
        gathered[0] = h.flip();
        gathered[1] = payload;
        return gathered;
    }

    /**
     * Fills the header of a data, ping or pong frame into this writer's buffer, with a fresh masking key
     * in the client role.
     *
     * @param frame  the frame (its type and flags)
     * @param length the payload's length
     * @return this writer's buffer, its position right after the header
     */
    private ByteBuffer header(Frame frame, int length) {
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
            h.putInt(Masks.newKey());
        }
        return h;
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
