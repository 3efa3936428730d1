package io.wsgate.bench.driver;

import java.nio.ByteBuffer;

/**
 * The messages the driver sends: 16 lower-case hex digits of a {@link System#nanoTime()} stamp
 * (the send time, or the intended send time in open loop), then ASCII filler up to the size.
 * Valid UTF-8, so the same bytes go as text or binary; the echo brings the stamp back.
 */
public final class Payload {

    /** The smallest message that holds a stamp. */
    public static final int MIN_SIZE = 16;

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private Payload() {
    }

    /**
     * @param size  the message size in bytes, at least {@link #MIN_SIZE}
     * @param stamp the stamp to carry
     * @return a fresh buffer, ready to read (the client masks what it sends, so buffers are never shared)
     */
    public static ByteBuffer create(int size, long stamp) {
        byte[] bytes = new byte[size];
        for (int i = 15; i >= 0; i--) {
            bytes[i] = HEX[(int) (stamp & 0xF)];
            stamp >>>= 4;
        }
        for (int i = 16; i < size; i++) {
            bytes[i] = (byte) ('a' + (i % 26));
        }
        return ByteBuffer.wrap(bytes);
    }

    /**
     * @param payload the first frame of an echoed message (position to limit); not consumed
     * @return its stamp, or -1 when it carries none
     */
    public static long stamp(ByteBuffer payload) {
        if (payload == null || payload.remaining() < MIN_SIZE) {
            return -1;
        }
        long stamp = 0;
        int p = payload.position();
        for (int i = 0; i < 16; i++) {
            int c = payload.get(p + i);
            int digit = c >= 'a' ? c - 'a' + 10 : c - '0';
            if (digit < 0 || digit > 15) {
                return -1;
            }
            stamp = (stamp << 4) | digit;
        }
        return stamp;
    }
}
