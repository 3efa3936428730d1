package io.wsgate.api;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameTest {

    @Test
    void readsTheCodeAndReasonOfACloseFrame() {
        byte[] reason = "bye".getBytes(StandardCharsets.UTF_8);
        ByteBuffer payload = ByteBuffer.allocate(2 + reason.length).putShort((short) 4001).put(reason).flip();
        Frame close = new Frame(FrameType.CLOSE, payload, true, true);
        assertThat(close.closeCode()).isEqualTo(4001);
        assertThat(close.closeReason()).isEqualTo("bye");
        assertThat(close.payload().remaining()).as("reading does not consume").isEqualTo(5);
        assertThat(new Frame(FrameType.CLOSE, ByteBuffer.allocate(0), true, true).closeCode()).isEqualTo(1005);
    }

    @Test
    void checksThatFlagsFitTheType() {
        assertThatThrownBy(() -> new Frame(FrameType.UTF8_MESSAGE, ByteBuffer.allocate(0), true, false))
                .hasMessageContaining("both first and last");
        assertThatThrownBy(() -> new Frame(FrameType.BINARY_FRAGMENT, ByteBuffer.allocate(0), true, true))
                .hasMessageContaining("_MESSAGE");
        assertThatThrownBy(() -> new Frame(FrameType.PING, ByteBuffer.allocate(0), true, true).closeCode())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void neverPrintsThePayload() {
        Frame f = new Frame(FrameType.UTF8_MESSAGE, ByteBuffer.wrap("secret".getBytes(StandardCharsets.UTF_8)), true, true);
        assertThat(f.toString()).doesNotContain("secret").contains("len=6");
    }
}
