package io.wsgate.jetty.internal.relay;

/** The frame opcodes of RFC 6455 §5.2 (no extension defines others here). */
final class OpCode {
    static final byte CONTINUATION = 0x0;
    static final byte TEXT = 0x1;
    static final byte BINARY = 0x2;
    static final byte CLOSE = 0x8;
    static final byte PING = 0x9;
    static final byte PONG = 0xA;

    /** The largest payload of a control frame (§5.5). */
    static final int MAX_CONTROL_PAYLOAD = 125;

    private OpCode() {
    }
}
