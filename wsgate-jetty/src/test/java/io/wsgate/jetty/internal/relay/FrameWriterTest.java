package io.wsgate.jetty.internal.relay;

import io.wsgate.api.Frame;
import io.wsgate.api.FrameType;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The writer alone: what goes on the wire, read back by the parser of the other role. */
class FrameWriterTest {

    /** The bytes a gathering write of these buffers puts on the wire (their positions left as they are). */
    private static ByteBuffer wire(ByteBuffer[] buffers) {
        int n = 0;
        for (ByteBuffer b : buffers) {
            n += b.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(n);
        for (ByteBuffer b : buffers) {
            all.put(b.duplicate());
        }
        return all.flip();
    }

    private static int headerLength(int payload, boolean masked) {
        return (payload < 126 ? 2 : payload <= 65535 ? 4 : 10) + (masked ? 4 : 0);
    }

    @Test
    void aServersFrameIsUnmaskedWithTheShortestLength() {
        FrameWriter w = new FrameWriter(Role.SERVER);
        for (int n : new int[]{0, 125, 126, FrameWriter.COPIED_PAYLOAD, FrameWriter.COPIED_PAYLOAD + 1, 65535, 65536}) {
            ByteBuffer payload = ByteBuffer.allocate(n);
            ByteBuffer wire = wire(w.dataFrame(new Frame(FrameType.BINARY_MESSAGE, payload, true, true)));
            assertThat(wire.remaining()).as("frame of %d bytes", n).isEqualTo(headerLength(n, false) + n);
            assertThat(wire.get(0) & 0xFF).isEqualTo(0x82);
            assertThat(wire.get(1) & 0x80).isZero();
        }
    }

    @Test
    void aSmallPayloadIsCopiedBehindItsHeaderInOneBufferAndALargeOneWrittenWhereItIs() {
        FrameWriter w = new FrameWriter(Role.SERVER);
        ByteBuffer small = ByteBuffer.allocateDirect(FrameWriter.COPIED_PAYLOAD);
        ByteBuffer[] one = w.dataFrame(new Frame(FrameType.BINARY_MESSAGE, small, true, true));
        assertThat(one).hasSize(1);
        assertThat(one[0]).isNotSameAs(small);
        assertThat(small.remaining()).as("the payload is left as it is").isEqualTo(FrameWriter.COPIED_PAYLOAD);

        ByteBuffer large = ByteBuffer.allocateDirect(FrameWriter.COPIED_PAYLOAD + 1);
        ByteBuffer[] two = w.dataFrame(new Frame(FrameType.BINARY_MESSAGE, large, true, true));
        assertThat(two).hasSize(2);
        assertThat(two[1]).isSameAs(large);
    }

    @Test
    void aClientsFrameIsMaskedWithAFreshKeyAndReadsBackAsSent() {
        FrameWriter w = new FrameWriter(Role.CLIENT);
        FrameParser backend = new FrameParser(new FrameParser.Config(Role.SERVER, 1 << 20));
        for (int n : new int[]{0, 5, 8, 13, 126, FrameWriter.COPIED_PAYLOAD, FrameWriter.COPIED_PAYLOAD + 1, 1000, 70000}) {
            byte[] text = "hello, backend ".repeat(n / 15 + 1).substring(0, n).getBytes(StandardCharsets.UTF_8);
            ByteBuffer payload = ByteBuffer.wrap(text.clone());
            ByteBuffer wire = wire(w.dataFrame(new Frame(FrameType.UTF8_MESSAGE, payload, true, true)));
            assertThat(wire.remaining()).as("frame of %d bytes", n).isEqualTo(headerLength(n, true) + n);
            assertThat(wire.get(1) & 0x80).isEqualTo(0x80);
            if (n > 4) {
                assertThat(wire.duplicate().position(headerLength(n, true))).as("masked on the wire")
                        .isNotEqualTo(ByteBuffer.wrap(text));
            }
            if (n > FrameWriter.COPIED_PAYLOAD) {
                assertThat(payload.array()).as("a large payload is masked in place").isNotEqualTo(text);
            } else {
                assertThat(payload.array()).as("a small payload is masked in its copy").isEqualTo(text);
            }

            assertThat(backend.parse(wire)).isEqualTo(FrameParser.Result.FRAME);
            assertThat(backend.frame().payload()).as("frame of %d bytes", n).isEqualTo(ByteBuffer.wrap(text));
        }
    }

    @Test
    void aReadOnlyPayloadIsCopiedToBeMaskedButNotWhenNoMaskIsNeeded() {
        FrameParser backend = new FrameParser(new FrameParser.Config(Role.SERVER, 1 << 20));
        for (int n : new int[]{3, FrameWriter.COPIED_PAYLOAD + 1}) {
            byte[] bytes = new byte[n];
            bytes[0] = 1;
            ByteBuffer ro = ByteBuffer.wrap(bytes.clone()).asReadOnlyBuffer();
            ByteBuffer[] masked = new FrameWriter(Role.CLIENT).dataFrame(new Frame(FrameType.BINARY_MESSAGE, ro, true, true));
            assertThat(masked).noneMatch(b -> b == ro);
            assertThat(ro).isEqualTo(ByteBuffer.wrap(bytes));
            assertThat(backend.parse(wire(masked))).isEqualTo(FrameParser.Result.FRAME);
            assertThat(backend.frame().payload()).isEqualTo(ByteBuffer.wrap(bytes));
        }
        ByteBuffer ro = ByteBuffer.allocate(FrameWriter.COPIED_PAYLOAD + 1).asReadOnlyBuffer();
        assertThat(new FrameWriter(Role.SERVER).dataFrame(new Frame(FrameType.BINARY_MESSAGE, ro, true, true))[1]).isSameAs(ro);
    }

    @Test
    void fragmentsAfterTheFirstAreContinuations() {
        ByteBuffer p = ByteBuffer.allocate(0);
        assertThat(FrameWriter.opCode(new Frame(FrameType.UTF8_FRAGMENT, p, true, false))).isEqualTo(OpCode.TEXT);
        assertThat(FrameWriter.opCode(new Frame(FrameType.UTF8_FRAGMENT, p, false, true))).isEqualTo(OpCode.CONTINUATION);
        assertThat(FrameWriter.opCode(new Frame(FrameType.BINARY_FRAGMENT, p, true, false))).isEqualTo(OpCode.BINARY);
        FrameWriter w = new FrameWriter(Role.SERVER);
        assertThat(w.dataFrame(new Frame(FrameType.BINARY_FRAGMENT, p, true, false))[0].get(0)).as("not final").isEqualTo((byte) 0x02);
    }

    @Test
    void aClosePayloadCutsItsReasonAtACharacterBoundary() {
        ByteBuffer p = FrameWriter.closePayload(1001, "€".repeat(50));
        assertThat(p.remaining()).isEqualTo(2 + 123);
        assertThat(p.getShort(0)).isEqualTo((short) 1001);
        assertThat(StandardCharsets.UTF_8.decode(p.slice(2, 123)).toString()).isEqualTo("€".repeat(41));
        assertThat(FrameWriter.closePayload(1001, "a" + "€".repeat(50)).remaining()).as("never half a character").isEqualTo(2 + 121);
        assertThat(FrameWriter.closePayload(1005, "ignored").remaining()).as("no code: an empty close").isZero();
    }

    @Test
    void aClientsCloseFrameIsMaskedAndReadsBack() {
        ByteBuffer frame = new FrameWriter(Role.CLIENT).closeFrame(FrameWriter.closePayload(1000, "bye"));
        FrameParser backend = new FrameParser(new FrameParser.Config(Role.SERVER, 1000));
        assertThat(backend.parse(frame)).isEqualTo(FrameParser.Result.FRAME);
        assertThat(backend.closeCode()).isEqualTo(1000);
        assertThat(backend.closeReason()).isEqualTo("bye");

        ByteBuffer plain = new FrameWriter(Role.SERVER).closeFrame(ByteBuffer.allocate(0));
        assertThat(plain.remaining()).isEqualTo(2);
        assertThat(plain.get(0) & 0xFF).isEqualTo(0x88);
    }
}
