package io.wsgate.testing;

import io.wsgate.api.Frame;
import io.wsgate.api.FrameType;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Data frames for {@link MessagePolicyTester}: whole messages, fragments, and the text of relayed ones. */
final class Frames {

    private Frames() {
    }

    static Frame text(String message) {
        return new Frame(FrameType.UTF8_MESSAGE, ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)), true, true);
    }

    static Frame binary(byte[] message) {
        return new Frame(FrameType.BINARY_MESSAGE, ByteBuffer.wrap(message.clone()), true, true);
    }

    static byte[][] utf8(String... parts) {
        byte[][] out = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            out[i] = parts[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    /** @return the frames of one message: a whole one for a single part, fragments for several */
    static List<Frame> fragments(boolean text, byte[]... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("a message has at least one frame");
        }
        if (parts.length == 1) {
            return List.of(new Frame(text ? FrameType.UTF8_MESSAGE : FrameType.BINARY_MESSAGE,
                    ByteBuffer.wrap(parts[0].clone()), true, true));
        }
        FrameType type = text ? FrameType.UTF8_FRAGMENT : FrameType.BINARY_FRAGMENT;
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            frames.add(new Frame(type, ByteBuffer.wrap(parts[i].clone()), i == 0, i == parts.length - 1));
        }
        return frames;
    }

    static List<String> joinText(List<Frame> frames) {
        List<String> out = new ArrayList<>();
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        for (Frame f : frames) {
            if (!f.type().isText()) {
                continue;
            }
            ByteBuffer b = f.payload().duplicate();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            message.writeBytes(bytes);
            if (f.last()) {
                out.add(message.toString(StandardCharsets.UTF_8));
                message.reset();
            }
        }
        return out;
    }
}
