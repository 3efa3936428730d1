package io.wsgate.jetty.internal.relay;

import io.wsgate.api.Frame;
import io.wsgate.api.FrameType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The parser alone, on bytes in a buffer: what a client's and a backend's frames become, and what it refuses. */
class FrameParserTest {

    private static final byte[] MASK = {0x11, 0x22, 0x33, 0x44};

    private final FrameParser server = new FrameParser(new FrameParser.Config(Role.SERVER, 1000));
    private final FrameParser client = new FrameParser(new FrameParser.Config(Role.CLIENT, 1000));

    /** A frame as a peer writes it: masked when {@code mask} is given. */
    static byte[] frame(int b0, byte[] payload, byte[] mask) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b0);
        int maskBit = mask == null ? 0 : 0x80;
        if (payload.length < 126) {
            out.write(maskBit | payload.length);
        } else if (payload.length <= 0xFFFF) {
            out.write(maskBit | 126);
            out.write(payload.length >> 8);
            out.write(payload.length & 0xFF);
        } else {
            out.write(maskBit | 127);
            for (int i = 7; i >= 0; i--) {
                out.write((int) ((long) payload.length >>> (8 * i)) & 0xFF);
            }
        }
        byte[] p = payload.clone();
        if (mask != null) {
            out.writeBytes(mask);
            for (int i = 0; i < p.length; i++) {
                p[i] ^= mask[i % 4];
            }
        }
        out.writeBytes(p);
        return out.toByteArray();
    }

    private static ByteBuffer buffer(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.writeBytes(p);
        }
        return ByteBuffer.wrap(all.toByteArray());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Frame f) {
        return StandardCharsets.UTF_8.decode(f.payload().duplicate()).toString();
    }

    @Test
    void unmasksAClientsFrameInPlaceAndHandsItOutAsASliceOfTheBuffer() {
        ByteBuffer bb = buffer(frame(0x81, utf8("hello"), MASK));
        assertThat(server.parse(bb)).isEqualTo(FrameParser.Result.FRAME);
        Frame f = server.frame();
        assertThat(f.type()).isEqualTo(FrameType.UTF8_MESSAGE);
        assertThat(text(f)).isEqualTo("hello");
        assertThat(bb.hasRemaining()).isFalse();
        assertThat(bb.get(6)).as("unmasked where it was read").isEqualTo((byte) 'h');
    }

    @Test
    void readsABackendsUnmaskedFramesOneAtATime() {
        ByteBuffer bb = buffer(frame(0x82, new byte[300], null), frame(0x8A, utf8("p"), null));
        assertThat(client.parse(bb)).isEqualTo(FrameParser.Result.FRAME);
        assertThat(client.frame().type()).isEqualTo(FrameType.BINARY_MESSAGE);
        assertThat(client.frame().length()).isEqualTo(300);
        assertThat(client.parse(bb)).isEqualTo(FrameParser.Result.FRAME);
        assertThat(client.frame().type()).isEqualTo(FrameType.PONG);
    }

    @Test
    void asksForTheWholeFrameBeforeHandingItOut() {
        byte[] wire = frame(0x81, utf8("hello"), MASK);
        ByteBuffer bb = ByteBuffer.allocate(64);
        bb.put(wire, 0, 1).flip();
        assertThat(server.parse(bb)).isEqualTo(FrameParser.Result.NEED_MORE);
        assertThat(server.needed()).isEqualTo(2);
        bb.limit(4).put(0, wire, 0, 4);
        assertThat(server.parse(bb)).isEqualTo(FrameParser.Result.NEED_MORE);
        assertThat(server.needed()).as("the header with its mask").isEqualTo(6);
        bb.limit(6).put(0, wire, 0, 6);
        assertThat(server.parse(bb)).isEqualTo(FrameParser.Result.NEED_MORE);
        assertThat(server.needed()).isEqualTo(wire.length);
        assertThat(bb.position()).isZero();
        bb.limit(wire.length).put(0, wire);
        assertThat(server.parse(bb)).isEqualTo(FrameParser.Result.FRAME);
        assertThat(text(server.frame())).isEqualTo("hello");
    }

    @Test
    void gathersAFrameLargerThanTheBufferAsItArrives() {
        FrameParser big = new FrameParser(new FrameParser.Config(Role.SERVER, 1 << 20));
        byte[] payload = new byte[200_000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 7);
        }
        byte[] wire = frame(0x82, payload, MASK);
        ByteBuffer bb = ByteBuffer.allocate(32 * 1024);
        int at = 0;
        FrameParser.Result r = null;
        while (at < wire.length) {
            bb.clear();
            int n = Math.min(bb.capacity(), wire.length - at);
            bb.put(wire, at, n).flip();
            at += n;
            r = big.parse(bb);
            assertThat(bb.hasRemaining()).isFalse();
            if (at < wire.length) {
                assertThat(r).isEqualTo(FrameParser.Result.NEED_MORE);
            }
        }
        assertThat(r).isEqualTo(FrameParser.Result.FRAME);
        byte[] got = new byte[payload.length];
        big.frame().payload().duplicate().get(got);
        assertThat(got).isEqualTo(payload);
        big.recycle();
    }

    @Test
    void keepsFragmentsAsFragments() {
        ByteBuffer bb = buffer(frame(0x01, utf8("a"), MASK), frame(0x89, new byte[0], MASK),
                frame(0x00, utf8("b"), MASK), frame(0x80, utf8("c"), MASK));
        FrameType[] types = new FrameType[4];
        boolean[] first = new boolean[4];
        boolean[] last = new boolean[4];
        for (int i = 0; i < 4; i++) {
            assertThat(server.parse(bb)).isEqualTo(FrameParser.Result.FRAME);
            types[i] = server.frame().type();
            first[i] = server.frame().first();
            last[i] = server.frame().last();
        }
        assertThat(types).containsExactly(FrameType.UTF8_FRAGMENT, FrameType.PING, FrameType.UTF8_FRAGMENT, FrameType.UTF8_FRAGMENT);
        assertThat(first).containsExactly(true, true, false, false);
        assertThat(last).containsExactly(false, true, false, true);
    }

    @Test
    void readsTheCodeAndReasonOfACloseFrame() {
        ByteBuffer bb = buffer(frame(0x88, closePayload(4000, utf8("bye")), MASK), frame(0x88, new byte[0], MASK));
        assertThat(server.parse(bb)).isEqualTo(FrameParser.Result.FRAME);
        assertThat(server.frame().type()).isEqualTo(FrameType.CLOSE);
        assertThat(server.closeCode()).isEqualTo(4000);
        assertThat(server.closeReason()).isEqualTo("bye");
        assertThat(server.parse(bb)).isEqualTo(FrameParser.Result.FRAME);
        assertThat(server.closeCode()).isEqualTo(1005);
        assertThat(server.closeReason()).isEmpty();
    }

    static byte[] closePayload(int code, byte[] reason) {
        return ByteBuffer.allocate(2 + reason.length).putShort((short) code).put(reason).array();
    }

    static Stream<Arguments> badFrames() {
        byte[] hello = utf8("hello");
        return Stream.of(
                arguments("an unmasked frame from a client", Role.SERVER, frame(0x81, hello, null), 1002, "Unmasked frame from the client"),
                arguments("a masked frame from a server", Role.CLIENT, frame(0x81, hello, MASK), 1002, "Masked frame from the server"),
                arguments("a reserved bit", Role.SERVER, frame(0xC1, hello, MASK), 1002, "Reserved bits set"),
                arguments("a reserved data opcode", Role.SERVER, frame(0x83, hello, MASK), 1002, "Unknown opcode 3"),
                arguments("a reserved control opcode", Role.SERVER, frame(0x8B, hello, MASK), 1002, "Unknown opcode 11"),
                arguments("a fragmented ping", Role.SERVER, frame(0x09, hello, MASK), 1002, "Fragmented control frame"),
                arguments("an oversized ping", Role.SERVER, frame(0x89, new byte[126], MASK), 1002, "Control frame payload over 125 bytes"),
                arguments("a continuation without a start", Role.SERVER, frame(0x80, hello, MASK), 1002, "Continuation without a message"),
                arguments("a message in a message", Role.SERVER,
                        buffer(frame(0x01, hello, MASK), frame(0x81, hello, MASK)).array(), 1002, "Message in a message"),
                arguments("a 64-bit length with its top bit set", Role.SERVER,
                        new byte[]{(byte) 0x82, (byte) 0xFF, (byte) 0x80, 0, 0, 0, 0, 0, 0, 5, 1, 2, 3, 4}, 1002, "Invalid payload length"),
                arguments("a frame over the size limit", Role.SERVER, frame(0x82, new byte[1001], MASK), 1009, "Frame too big"),
                arguments("a close frame of one byte", Role.SERVER, frame(0x88, new byte[]{3}, MASK), 1002, "Close frame of one byte"),
                arguments("a close code that may not be sent", Role.SERVER,
                        frame(0x88, closePayload(1005, new byte[0]), MASK), 1002, "Invalid close code 1005"),
                arguments("a close reason that is not UTF-8", Role.SERVER,
                        frame(0x88, closePayload(1000, new byte[]{(byte) 0xC3}), MASK), 1007, "Invalid UTF-8 in the close reason"));
    }

    @ParameterizedTest(name = "{0} fails with {3}")
    @MethodSource("badFrames")
    void refusesWhatRfc6455Forbids(String what, Role role, byte[] wire, int code, String reason) {
        FrameParser p = new FrameParser(new FrameParser.Config(role, 1000));
        ByteBuffer bb = ByteBuffer.wrap(wire);
        FrameParser.Result r;
        do {
            r = p.parse(bb);
        } while (r == FrameParser.Result.FRAME);
        assertThat(r).isEqualTo(FrameParser.Result.ERROR);
        assertThat(p.errorCode()).isEqualTo(code);
        assertThat(p.errorReason()).isEqualTo(reason);
    }

    @Test
    void aFrameOfExactlyTheLimitIsAccepted() {
        assertThat(server.parse(buffer(frame(0x82, new byte[1000], MASK)))).isEqualTo(FrameParser.Result.FRAME);
    }
}
