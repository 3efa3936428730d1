package io.wsgate.jetty.internal.relay;

import io.wsgate.api.Frame;
import io.wsgate.api.FrameType;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The writer alone: what goes on the wire, read back by the parser of the other role. */
class FrameWriterTest {

    private static ByteBuffer wire(ByteBuffer header, ByteBuffer payload) {
        ByteBuffer all = ByteBuffer.allocate(header.remaining() + payload.remaining());
        all.put(header.duplicate()).put(payload.duplicate()).flip();
        return all;
    }

    @Test
    void aServersFrameIsUnmaskedWithTheShortestLength() {
        FrameWriter w = new FrameWriter(Role.SERVER);
        for (int n : new int[]{0, 125, 126, 65535, 65536}) {
            ByteBuffer payload = ByteBuffer.allocate(n);
            ByteBuffer h = w.header(new Frame(FrameType.BINARY_MESSAGE, payload, true, true), payload);
            assertThat(h.remaining()).as("header of %d bytes", n).isEqualTo(n < 126 ? 2 : n <= 65535 ? 4 : 10);
            assertThat(h.get(0) & 0xFF).isEqualTo(0x82);
            assertThat(h.get(1) & 0x80).isZero();
        }
    }

    @Test
    void aClientsFrameIsMaskedInPlaceWithAFreshKeyAndReadsBackAsSent() {
        FrameWriter w = new FrameWriter(Role.CLIENT);
        FrameParser backend = new FrameParser(new FrameParser.Config(Role.SERVER, 1 << 20));
        byte[] text = "hello, backend".getBytes(StandardCharsets.UTF_8);
        ByteBuffer payload = ByteBuffer.wrap(text.clone());
        ByteBuffer h = w.header(new Frame(FrameType.UTF8_MESSAGE, payload, true, true), payload);
        assertThat(h.remaining()).isEqualTo(6);
        assertThat(h.get(1) & 0x80).isEqualTo(0x80);
        assertThat(payload.array()).as("masked in place").isNotEqualTo(text);

        assertThat(backend.parse(wire(h, payload))).isEqualTo(FrameParser.Result.FRAME);
        assertThat(StandardCharsets.UTF_8.decode(backend.frame().payload()).toString()).isEqualTo("hello, backend");
    }

    @Test
    void aReadOnlyPayloadIsCopiedToBeMaskedButNotWhenNoMaskIsNeeded() {
        ByteBuffer ro = ByteBuffer.wrap(new byte[]{1, 2, 3}).asReadOnlyBuffer();
        assertThat(new FrameWriter(Role.CLIENT).payloadFor(ro)).isNotSameAs(ro).isEqualTo(ro);
        assertThat(new FrameWriter(Role.SERVER).payloadFor(ro)).isSameAs(ro);
        ByteBuffer rw = ByteBuffer.allocate(3);
        assertThat(new FrameWriter(Role.CLIENT).payloadFor(rw)).isSameAs(rw);
    }

    @Test
    void fragmentsAfterTheFirstAreContinuations() {
        ByteBuffer p = ByteBuffer.allocate(0);
        assertThat(FrameWriter.opCode(new Frame(FrameType.UTF8_FRAGMENT, p, true, false))).isEqualTo(OpCode.TEXT);
        assertThat(FrameWriter.opCode(new Frame(FrameType.UTF8_FRAGMENT, p, false, true))).isEqualTo(OpCode.CONTINUATION);
        assertThat(FrameWriter.opCode(new Frame(FrameType.BINARY_FRAGMENT, p, true, false))).isEqualTo(OpCode.BINARY);
        FrameWriter w = new FrameWriter(Role.SERVER);
        assertThat(w.header(new Frame(FrameType.BINARY_FRAGMENT, p, true, false), p).get(0)).as("not final").isEqualTo((byte) 0x02);
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
