package io.wsgate.core.internal.relay;

import java.nio.ByteBuffer;

/**
 * An incremental UTF-8 validator (Björn Höhrmann's DFA): fed the payload of every frame of a
 * text message in turn, it says whether the bytes so far can still be valid UTF-8 and, at the
 * end of the message, whether they were. Reads the buffer without moving its position; no copy.
 * Between characters, ASCII is checked 8 bytes at a time (one {@code getLong} and a mask), so
 * text that is mostly ASCII costs a fraction of a nanosecond per byte; every other byte goes
 * through the DFA.
 * Not thread-safe: one per direction, used by that direction's single reader.
 */
final class Utf8Validator {

    static final int ACCEPT = 0;
    static final int REJECT = 12;

    /** The top bit of each of 8 bytes: zero for 8 ASCII bytes. */
    private static final long ASCII_MASK = 0x8080808080808080L;
    private static final byte[] CLASSES = new byte[256];
    private static final byte[] TRANSITIONS = {
        0, 12, 24, 36, 60, 96, 84, 12, 12, 12, 48, 72, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
        12, 0, 12, 12, 12, 12, 12, 0, 12, 0, 12, 12, 12, 24, 12, 12, 12, 12, 12, 24, 12, 24, 12, 12,
        12, 12, 12, 12, 12, 12, 12, 24, 12, 12, 12, 12, 12, 24, 12, 12, 12, 12, 12, 12, 12, 24, 12, 12,
        12, 12, 12, 12, 12, 12, 12, 36, 12, 36, 12, 12, 12, 36, 12, 12, 12, 12, 12, 36, 12, 36, 12, 12,
        12, 36, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    };

    static {
        for (int b = 0; b < 256; b++) {
            int c;
            if (b < 0x80) {
                c = 0;
            } else if (b < 0x90) {
                c = 1;
            } else if (b < 0xA0) {
                c = 9;
            } else if (b < 0xC0) {
                c = 7;
            } else if (b < 0xC2) {
                c = 8;
            } else if (b < 0xE0) {
                c = 2;
            } else if (b == 0xE0) {
                c = 10;
            } else if (b < 0xED) {
                c = 3;
            } else if (b == 0xED) {
                c = 4;
            } else if (b < 0xF0) {
                c = 3;
            } else if (b == 0xF0) {
                c = 11;
            } else if (b < 0xF4) {
                c = 6;
            } else if (b == 0xF4) {
                c = 5;
            } else {
                c = 8;
            }
            CLASSES[b] = (byte) c;
        }
    }

    private int state = ACCEPT;

    /** Starts a new message. */
    void reset() {
        state = ACCEPT;
    }

    /**
     * @param payload the next bytes of the message, position to limit (left unchanged)
     * @return false as soon as the bytes cannot be UTF-8
     */
    boolean feed(ByteBuffer payload) {
        int s = state;
        int i = payload.position();
        int end = payload.limit();
        int longEnd = end - Long.BYTES;
        while (i < end) {
            if (s == ACCEPT) {
                // Between characters, runs of ASCII are skipped 8 bytes at a time: no byte with its top bit set.
                while (i <= longEnd && (payload.getLong(i) & ASCII_MASK) == 0) {
                    i += Long.BYTES;
                }
                if (i == end) {
                    break;
                }
                int b = payload.get(i);
                if (b >= 0) {
                    i++;
                    continue;
                }
            }
            s = TRANSITIONS[s + CLASSES[payload.get(i) & 0xFF]];
            if (s == REJECT) {
                state = REJECT;
                return false;
            }
            i++;
        }
        state = s;
        return true;
    }

    /** @return the validator's state, to {@link #restore} another one to it */
    int state() {
        return state;
    }

    /** Takes a state another validator had ({@link #state()}): it goes on from there. */
    void restore(int state) {
        this.state = state;
    }

    /** @return true when the bytes fed so far end on a whole character */
    boolean complete() {
        return state == ACCEPT;
    }
}
