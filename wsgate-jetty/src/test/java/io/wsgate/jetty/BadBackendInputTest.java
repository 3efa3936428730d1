package io.wsgate.jetty;

import io.wsgate.api.ApiDefinition;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static io.wsgate.jetty.RawFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

/** A misbehaving backend: the client never gets 101 for a bad handshake, never a bad frame, and is closed with 1011. */
class BadBackendInputTest extends GatewayTestBase {

    private void gatewayTo(RawBackend raw) throws Exception {
        startGateway(ApiDefinition.builder("raw").backend(raw.url()).urlSuffix("/raw").build());
    }

    @Test
    void aWrongAcceptGives502AndNever101() throws Exception {
        try (RawBackend raw = new RawBackend((key, in, out, s) -> RawBackend.answer101(out, RawFrames.accept("wrong")))) {
            gatewayTo(raw);
            RawResponse r = raw(upgradeRequest("/raw"));
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.body()).contains("BACKEND_HANDSHAKE_INVALID");
        }
    }

    @Test
    void aSubprotocolTheClientNeverOfferedGives502() throws Exception {
        try (RawBackend raw = new RawBackend((key, in, out, s) ->
                RawBackend.answer101(out, RawFrames.accept(key), "Sec-WebSocket-Protocol: never-offered"))) {
            gatewayTo(raw);
            RawResponse r = raw(upgradeRequest("/raw", "Sec-WebSocket-Protocol: mine"));
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.body()).contains("BACKEND_HANDSHAKE_INVALID");
        }
    }

    @Test
    void anExtensionNeverOfferedGives502() throws Exception {
        try (RawBackend raw = new RawBackend((key, in, out, s) ->
                RawBackend.answer101(out, RawFrames.accept(key), "Sec-WebSocket-Extensions: permessage-deflate"))) {
            gatewayTo(raw);
            RawResponse r = raw(upgradeRequest("/raw", "Sec-WebSocket-Extensions: permessage-deflate"));
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.body()).contains("BACKEND_HANDSHAKE_INVALID");
        }
    }

    @Test
    void aMaskedFrameFromTheBackendIsNeverRelayedAndTheClientGets1011() throws Exception {
        try (RawBackend raw = new RawBackend((key, in, out, s) -> {
            RawBackend.answer101(out, RawFrames.accept(key));
            out.write(frame(0x81, "masked".getBytes(StandardCharsets.UTF_8), RawFrames.MASK));
            out.flush();
            RawFrames.readUntilClose(in);
        })) {
            gatewayTo(raw);
            RecordingClient c = RecordingClient.connect(client, gw("/raw"));
            assertThat(c.awaitClosed().getCode()).isEqualTo(1011);
            assertThat(c.drain()).noneMatch(Frame::isDataFrame);
        }
    }

    @Test
    void invalidUtf8FromTheBackendIsNeverRelayedAndTheClientGets1011() throws Exception {
        try (RawBackend raw = new RawBackend((key, in, out, s) -> {
            RawBackend.answer101(out, RawFrames.accept(key));
            out.write(frame(0x81, new byte[]{'o', 'k', (byte) 0xFE}, null));
            out.flush();
            RawFrames.readUntilClose(in);
        })) {
            gatewayTo(raw);
            RecordingClient c = RecordingClient.connect(client, gw("/raw"));
            assertThat(c.awaitClosed().getCode()).isEqualTo(1011);
            assertThat(c.drain()).noneMatch(Frame::isDataFrame);
        }
    }

    @Test
    void aResetInTheMiddleOfAMessageNeverDeliversItAsComplete() throws Exception {
        try (RawBackend raw = new RawBackend((key, in, out, s) -> {
            RawBackend.answer101(out, RawFrames.accept(key));
            out.write(frame(0x02, new byte[1000], null)); // first fragment of a binary message
            out.flush();
            RawFrames.read(in); // the client's "got it"
            s.setSoLinger(true, 0); // then a TCP reset
            s.close();
        })) {
            gatewayTo(raw);
            RecordingClient c = RecordingClient.connect(client, gw("/raw"));
            Frame first = c.nextData();
            assertThat(first.getOpCode()).isEqualTo(OpCode.BINARY);
            assertThat(first.isFin()).isFalse();
            c.sendText("got it");

            assertThat(c.awaitClosed().getCode()).isEqualTo(1011);
            assertThat(c.drain()).filteredOn(Frame::isDataFrame).noneMatch(Frame::isFin);
            raw.done.get(10, TimeUnit.SECONDS);
        }
    }
}
