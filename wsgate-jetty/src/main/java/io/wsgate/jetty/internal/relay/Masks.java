package io.wsgate.jetty.internal.relay;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;

/**
 * WebSocket masking (RFC 6455 §5.3): payloads XORed in place with a 4-byte key, eight bytes at a
 * time in the machine's byte order; and the keys the gateway masks its frames to backends with.
 *
 * <p>Masking is most of what a relay does per byte: every frame from a client is unmasked and
 * every frame to a backend is masked. Done four bytes at a time in big-endian order, as
 * websocket-core does it, it took a third of the gateway's CPU on 16 KiB messages (wsgate-bench).
 */
final class Masks {

    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final boolean LITTLE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    /** Keys taken from the strong source at once, per thread (four bytes each). */
    private static final int KEYS_PER_REFILL = 256;
    private static final ThreadLocal<Keys> KEYS = ThreadLocal.withInitial(Keys::new);

    private Masks() {
    }

    /**
     * XORs {@code length} bytes of {@code buffer} from absolute index {@code from} with the key,
     * the key's first byte on the first of them. Masking and unmasking are the same operation.
     *
     * @param buffer the payload's buffer, written in place; its position and limit are left as they are
     * @param from   the absolute index of the payload's first byte
     * @param length the payload's length
     * @param key    the masking key, its first byte the most significant
     */
    static void apply(ByteBuffer buffer, int from, int length, int key) {
        int end = from + length;
        int i = from;
        if (length >= 8) {
            int ordered = LITTLE ? Integer.reverseBytes(key) : key;
            long wide = (ordered & 0xFFFF_FFFFL) | ((long) ordered << 32);
            for (int last = end - 8; i <= last; i += 8) {
                LONGS.set(buffer, i, (long) LONGS.get(buffer, i) ^ wide);
            }
        }
        for (; i < end; i++) {
            int shift = 24 - ((i - from) & 3) * 8;
            buffer.put(i, (byte) (buffer.get(i) ^ (key >>> shift)));
        }
    }

    /**
     * @return a fresh masking key from a strong source of entropy, as RFC 6455 requires of a client:
     *         a backend, or a proxy before it, must not be able to predict how a client's payload will
     *         look on the wire
     */
    static int newKey() {
        return KEYS.get().next();
    }

    /** A thread's keys: {@link SecureRandom} output fetched {@link #KEYS_PER_REFILL} keys at a time. */
    private static final class Keys {
        private final SecureRandom random = new SecureRandom();
        private final ByteBuffer keys = ByteBuffer.allocate(KEYS_PER_REFILL * 4).position(KEYS_PER_REFILL * 4);

        int next() {
            if (!keys.hasRemaining()) {
                random.nextBytes(keys.array());
                keys.clear();
            }
            return keys.getInt();
        }
    }
}
