package io.wsgate.jetty.internal.relay;

import io.wsgate.api.CloseStatus;
import io.wsgate.api.Frame;
import io.wsgate.api.FrameType;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import static io.wsgate.jetty.internal.relay.OpCode.BINARY;
import static io.wsgate.jetty.internal.relay.OpCode.CLOSE;
import static io.wsgate.jetty.internal.relay.OpCode.CONTINUATION;
import static io.wsgate.jetty.internal.relay.OpCode.MAX_CONTROL_PAYLOAD;
import static io.wsgate.jetty.internal.relay.OpCode.PING;
import static io.wsgate.jetty.internal.relay.OpCode.PONG;
import static io.wsgate.jetty.internal.relay.OpCode.TEXT;

/**
 * Parses RFC 6455 frames one at a time from the bytes a connection has read, with the checks of §5
 * (no extension is ever negotiated): reserved bits and opcodes (1002), masking, which a client's
 * frames must have and a server's must not (1002), control frames, final and at most 125 bytes
 * (1002), the order of fragments (1002), the frame size limit (1009), and close frames: a payload of
 * one byte or a code that may not be sent (1002), a reason that is not UTF-8 (1007).
 *
 * <p>A frame whose bytes are all in the buffer is unmasked there, in place, and handed out as a slice
 * of it, so the payload is copied by nobody; a frame larger than the buffer's capacity is gathered
 * into a heap buffer of its own that grows with what arrives. Text and message size are the relay's
 * checks, not the parser's.
 *
 * <p>Not thread-safe: one reading thread at a time (its connection hands the role over under its
 * monitor). Nothing is allocated per frame beyond the payload's slice and its {@link Frame}.
 */
final class FrameParser {

    /**
     * @param role         which end the gateway is on this connection
     * @param maxFrameSize the largest payload a frame may announce (1009 beyond); at most {@link #MAX_FRAME_SIZE}
     */
    record Config(Role role, long maxFrameSize) {
        /** Checks the role and caps the size at what one buffer can hold. */
        Config {
            Objects.requireNonNull(role, "role");
            if (maxFrameSize <= 0) {
                throw new IllegalArgumentException("maxFrameSize must be positive: " + maxFrameSize);
            }
            maxFrameSize = Math.min(maxFrameSize, MAX_FRAME_SIZE);
        }
    }

    /** What one call to {@link #parse} ended with. */
    enum Result {
        /** A whole frame: {@link #frame()}. */
        FRAME,
        /** More bytes are needed: {@link #needed()} in all, header included, when not gathering. */
        NEED_MORE,
        /** The peer broke a rule: {@link #errorCode()}, {@link #errorReason()}. The parser is done. */
        ERROR
    }

    /** The largest frame payload a buffer can hold. */
    static final long MAX_FRAME_SIZE = Integer.MAX_VALUE - 8;
    /** The first size of the buffer a frame larger than the read buffer is gathered into; it doubles as bytes arrive. */
    static final int GATHER_FIRST = 64 * 1024;
    private static final byte NO_MESSAGE = -1;

    private final boolean masks;
    private final long maxFrameSize;

    private Frame frame;
    private int closeCode;
    private String closeReason = "";
    private int errorCode;
    private String errorReason = "";
    /** Bytes the frame being parsed needs in the buffer, header included. */
    private int needed;
    /** TEXT or BINARY while a fragmented message is in progress, else {@link #NO_MESSAGE}. */
    private byte messageOpCode = NO_MESSAGE;
    /** The payload of a frame too large for the read buffer, gathered as it arrives; null when there is none. */
    private ByteBuffer gathered;
    private int gatheredSize;
    private byte gatheredOpCode;
    private boolean gatheredFin;
    private int gatheredKey;
    /** The gathered frame was handed out: dropped by {@link #recycle()}. */
    private boolean gatheredDelivered;

    FrameParser(Config config) {
        this.masks = config.role().masks();
        this.maxFrameSize = config.maxFrameSize();
    }

    /** @return the frame of the last {@link Result#FRAME}; its payload is valid until {@link #recycle()} */
    Frame frame() {
        return frame;
    }

    /** @return the code of the last close frame parsed, {@link CloseStatus#NO_STATUS} for an empty one */
    int closeCode() {
        return closeCode;
    }

    /** @return the reason of the last close frame parsed, empty when none */
    String closeReason() {
        return closeReason;
    }

    /** @return the close code the peer is to be failed with, after {@link Result#ERROR} */
    int errorCode() {
        return errorCode;
    }

    /** @return why, after {@link Result#ERROR} */
    String errorReason() {
        return errorReason;
    }

    /** @return the bytes the frame being parsed needs in the read buffer, header included (0 or 1 while gathering) */
    int needed() {
        return needed;
    }

    /** The frame handed out last is done with: a gathered payload is dropped before the next is parsed. */
    void recycle() {
        if (gatheredDelivered) {
            gatheredDelivered = false;
            gathered = null;
        }
    }

    /** Drops the frame being gathered, if any (the connection is closed). */
    void release() {
        gathered = null;
        gatheredDelivered = false;
    }

    /**
     * Parses one frame at the buffer's position, or goes on gathering one. On {@link Result#FRAME} the
     * position is past the frame's bytes; on {@link Result#NEED_MORE} it is at the frame's start, or
     * past the bytes moved into the gathered payload.
     *
     * @param bb what has been read, position to limit
     * @return what happened
     */
    Result parse(ByteBuffer bb) {
        return gathered == null ? parseHeader(bb) : gather(bb);
    }

    private Result parseHeader(ByteBuffer bb) {
        int pos = bb.position();
        int available = bb.remaining();
        if (available < 2) {
            needed = 2;
            return Result.NEED_MORE;
        }
        int b0 = bb.get(pos) & 0xFF;
        int b1 = bb.get(pos + 1) & 0xFF;
        boolean fin = (b0 & 0x80) != 0;
        byte opCode = (byte) (b0 & 0x0F);
        if ((b0 & 0x70) != 0) {
            return error(CloseStatus.PROTOCOL_ERROR, "Reserved bits set");
        }
        boolean control = (opCode & 0x08) != 0;
        if (control ? opCode > PONG : opCode > BINARY) {
            return error(CloseStatus.PROTOCOL_ERROR, "Unknown opcode " + opCode);
        }
        if (control && !fin) {
            return error(CloseStatus.PROTOCOL_ERROR, "Fragmented control frame");
        }
        boolean masked = (b1 & 0x80) != 0;
        if (masked == masks) {
            return error(CloseStatus.PROTOCOL_ERROR, masks ? "Masked frame from the server" : "Unmasked frame from the client");
        }
        int length7 = b1 & 0x7F;
        int headerLength = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + (masked ? 4 : 0);
        if (available < headerLength) {
            needed = headerLength;
            return Result.NEED_MORE;
        }
        long length = length7 < 126 ? length7 : bigEndian(bb, pos + 2, length7 == 126 ? 2 : 8);
        if (length < 0) {
            return error(CloseStatus.PROTOCOL_ERROR, "Invalid payload length");
        }
        if (control && length > MAX_CONTROL_PAYLOAD) {
            return error(CloseStatus.PROTOCOL_ERROR, "Control frame payload over 125 bytes");
        }
        if (length > maxFrameSize) {
            return error(CloseStatus.MESSAGE_TOO_BIG, "Frame too big");
        }
        if (!control && (opCode == CONTINUATION ? messageOpCode == NO_MESSAGE : messageOpCode != NO_MESSAGE)) {
            return error(CloseStatus.PROTOCOL_ERROR,
                    opCode == CONTINUATION ? "Continuation without a message" : "Message in a message");
        }
        int key = masked ? (int) bigEndian(bb, pos + headerLength - 4, 4) : 0;
        int size = (int) length;
        if (headerLength + length <= available) {
            int from = pos + headerLength;
            bb.position(from + size);
            if (masked && size > 0) {
                Masks.apply(bb, from, size, key);
            }
            return deliver(opCode, fin, bb.slice(from, size));
        }
        if (headerLength + length <= bb.capacity()) {
            needed = headerLength + size;
            return Result.NEED_MORE;
        }
        // larger than the read buffer: gathered into a buffer of its own
        bb.position(pos + headerLength);
        gathered = ByteBuffer.allocate(Math.min(size, GATHER_FIRST));
        gatheredSize = size;
        gatheredOpCode = opCode;
        gatheredFin = fin;
        gatheredKey = key;
        needed = 1;
        return gather(bb);
    }

    /** @return the unsigned big-endian number in {@code n} bytes at absolute index {@code at} */
    private static long bigEndian(ByteBuffer bb, int at, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (bb.get(at + i) & 0xFF);
        }
        return v;
    }

    /** Moves what has been read into the gathered payload; delivers it when complete. */
    private Result gather(ByteBuffer bb) {
        ByteBuffer g = gathered;
        int n = Math.min(bb.remaining(), gatheredSize - g.position());
        if (g.remaining() < n) {
            g = ByteBuffer.allocate(Math.min(gatheredSize, Math.max(2 * g.capacity(), g.position() + n))).put(g.flip());
            gathered = g;
        }
        g.put(bb.slice(bb.position(), n));
        bb.position(bb.position() + n);
        if (g.position() < gatheredSize) {
            return Result.NEED_MORE;
        }
        g.flip();
        if (!masks) {
            Masks.apply(g, 0, gatheredSize, gatheredKey);
        }
        needed = 0;
        gatheredDelivered = true;
        return deliver(gatheredOpCode, gatheredFin, g);
    }

    /** Makes the frame of a complete payload, or fails a bad close frame. */
    private Result deliver(byte opCode, boolean fin, ByteBuffer payload) {
        switch (opCode) {
            case TEXT, BINARY -> {
                boolean text = opCode == TEXT;
                if (fin) {
                    frame = new Frame(text ? FrameType.UTF8_MESSAGE : FrameType.BINARY_MESSAGE, payload, true, true);
                } else {
                    messageOpCode = opCode;
                    frame = new Frame(text ? FrameType.UTF8_FRAGMENT : FrameType.BINARY_FRAGMENT, payload, true, false);
                }
            }
            case CONTINUATION -> {
                frame = new Frame(messageOpCode == TEXT ? FrameType.UTF8_FRAGMENT : FrameType.BINARY_FRAGMENT,
                        payload, false, fin);
                if (fin) {
                    messageOpCode = NO_MESSAGE;
                }
            }
            case PING -> frame = new Frame(FrameType.PING, payload, true, true);
            case PONG -> frame = new Frame(FrameType.PONG, payload, true, true);
            default -> {
                return close(payload);
            }
        }
        return Result.FRAME;
    }

    private Result close(ByteBuffer payload) {
        int length = payload.remaining();
        if (length == 1) {
            return error(CloseStatus.PROTOCOL_ERROR, "Close frame of one byte");
        }
        int code = CloseStatus.NO_STATUS;
        String reason = "";
        if (length >= 2) {
            code = payload.getShort(payload.position()) & 0xFFFF;
            if (!CloseStatus.isWireCode(code)) {
                return error(CloseStatus.PROTOCOL_ERROR, "Invalid close code " + code);
            }
            try {
                reason = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(payload.slice(payload.position() + 2, length - 2)).toString();
            } catch (CharacterCodingException e) {
                return error(CloseStatus.BAD_DATA, "Invalid UTF-8 in the close reason");
            }
        }
        closeCode = code;
        closeReason = reason;
        frame = new Frame(FrameType.CLOSE, payload, true, true);
        return Result.FRAME;
    }

    private Result error(int code, String reason) {
        errorCode = code;
        errorReason = reason;
        return Result.ERROR;
    }
}
