package io.wsgate.jetty.internal.relay;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class MasksTest {

    private static final int KEY = 0xA1B2C3D4;

    @Test
    void masksEveryLengthAndOffsetAsTheRfcsByteLoopDoesInHeapAndDirectBuffers() {
        for (boolean direct : new boolean[] {false, true}) {
            for (int offset = 0; offset < 9; offset++) {
                for (int length = 0; length < 70; length++) {
                    ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(offset + length + 9) : ByteBuffer.allocate(offset + length + 9);
                    for (int i = 0; i < buffer.capacity(); i++) {
                        buffer.put(i, (byte) (i * 37 + 11));
                    }
                    Masks.apply(buffer, offset, length, KEY);
                    byte[] key = {(byte) 0xA1, (byte) 0xB2, (byte) 0xC3, (byte) 0xD4};
                    for (int i = 0; i < buffer.capacity(); i++) {
                        byte original = (byte) (i * 37 + 11);
                        boolean inPayload = i >= offset && i < offset + length;
                        byte expected = inPayload ? (byte) (original ^ key[(i - offset) % 4]) : original;
                        assertThat(buffer.get(i)).as("direct=%s offset=%d length=%d index=%d", direct, offset, length, i)
                                .isEqualTo(expected);
                    }
                    assertThat(buffer.position()).isZero();
                    assertThat(buffer.limit()).isEqualTo(buffer.capacity());
                }
            }
        }
    }

    @Test
    void maskingTwiceGivesThePayloadBack() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(16 * 1024 + 3);
        for (int i = 0; i < buffer.capacity(); i++) {
            buffer.put(i, (byte) i);
        }
        Masks.apply(buffer, 0, buffer.capacity(), KEY);
        Masks.apply(buffer, 0, buffer.capacity(), KEY);
        for (int i = 0; i < buffer.capacity(); i++) {
            assertThat(buffer.get(i)).isEqualTo((byte) i);
        }
    }

    @Test
    void keysAreFreshAcrossRefills() {
        Set<Integer> keys = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            keys.add(Masks.newKey());
        }
        // 1,000 draws from 2^32 values: a repeat is unlikely, a constant or a short cycle impossible
        assertThat(keys).hasSizeGreaterThan(990);
    }
}
