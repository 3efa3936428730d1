package io.wsgate.jetty;

import io.wsgate.api.ApiDefinition;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.wsgate.jetty.RawFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

/** A misbehaving backend: the client never gets 101 for a bad handshake, never a bad frame, and is closed with 1011. */
@ParameterizedClass(name = "{0}")
@EnumSource(Mount.class)
class BadBackendInputTest extends GatewayTestBase {

    BadBackendInputTest(Mount mount) {
        super(mount);
    }

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

    /** Answers a backend may give that are no WebSocket handshake, by the Sec-WebSocket-Key they answer. */
    static Stream<Arguments> answersThatAreNoHandshake() {
        Function<String, String> accept = key -> {
            try {
                return RawFrames.accept(key);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        };
        Function<String, String> oversized = key -> "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nX-Padding: " + "a".repeat(20_000) + "\r\nSec-WebSocket-Accept: "
                + accept.apply(key) + "\r\n\r\n";
        Function<String, String> notHttp = key -> "SSH-2.0-OpenSSH_9.2p1\r\n";
        Function<String, String> notWebSocket = key -> "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept.apply(key) + "\r\n\r\n";
        return Stream.of(Arguments.of("a head over 16 KiB", oversized), Arguments.of("not HTTP", notHttp),
                Arguments.of("a 101 to another protocol", notWebSocket));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answersThatAreNoHandshake")
    void anAnswerThatIsNoHandshakeGives502AndTheBackendConnectionIsClosed(String what, Function<String, String> answer)
            throws Exception {
        try (RawBackend raw = new RawBackend((key, in, out, s) -> {
            out.write(answer.apply(key).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            awaitClosedByTheGateway(in);
        })) {
            gatewayTo(raw);
            RawResponse r = raw(upgradeRequest("/raw"));
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.body()).contains("BACKEND_HANDSHAKE_INVALID");
            // the gateway closed its connection to the backend
            raw.done.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void interimAnswersBeforeThe101AreSkipped() throws Exception {
        try (RawBackend raw = new RawBackend((key, in, out, s) -> {
            out.write("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            RawBackend.answer101(out, RawFrames.accept(key));
            out.write(frame(0x81, "after the hints".getBytes(StandardCharsets.UTF_8), null));
            out.flush();
            RawFrames.readUntilClose(in);
        })) {
            gatewayTo(raw);
            RecordingClient c = RecordingClient.connect(client, gw("/raw"));
            assertThat(TestBackend.text(c.nextData())).isEqualTo("after the hints");
            c.session.close(1000, "", org.eclipse.jetty.util.Callback.NOOP);
            assertThat(c.awaitClosed().getCode()).isEqualTo(1000);
        }
    }

    @Test
    void aBackendThatClosesBeforeAnsweringGives502BackendUnavailable() throws Exception {
        try (RawBackend raw = new RawBackend((key, in, out, s) -> s.close())) {
            gatewayTo(raw);
            RawResponse r = raw(upgradeRequest("/raw"));
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.body()).contains("BACKEND_UNAVAILABLE");
        }
    }

    @Test
    void theBackendGetsOneWellFormedUpgradeRequest() throws Exception {
        try (RawBackend raw = new RawBackend((key, in, out, s) -> {
            RawBackend.answer101(out, RawFrames.accept(key));
            RawFrames.readUntilClose(in);
        })) {
            startGateway(ApiDefinition.builder("raw").backend(raw.url() + "base").urlSuffix("/raw").build());
            RecordingClient c = RecordingClient.connect(client, gw("/raw/more?x=1&y=%20"), "one", "two");
            String h = raw.requestHead.get(10, TimeUnit.SECONDS);
            String port = raw.url().replaceAll(".*:(\\d+)/.*", "$1");
            assertThat(h).startsWith("GET /base/more?x=1&y=%20 HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n")
                    .contains("\r\nUpgrade: websocket\r\n", "\r\nConnection: Upgrade\r\n", "\r\nSec-WebSocket-Version: 13\r\n",
                            "\r\nSec-WebSocket-Protocol: one, two\r\n")
                    .doesNotContain("Sec-WebSocket-Extensions");
            assertThat(h.split("\r\n")).filteredOn(l -> l.regionMatches(true, 0, "Host:", 0, 5)).hasSize(1);
            c.session.close(1000, "", org.eclipse.jetty.util.Callback.NOOP);
            assertThat(c.awaitClosed().getCode()).isEqualTo(1000);
        }
    }

    /** Reads until the gateway closes the connection (end of stream, or a reset for bytes it left unread). */
    private static void awaitClosedByTheGateway(java.io.InputStream in) throws java.io.IOException {
        try {
            while (in.read() != -1) {
                // what the gateway sends, if anything, does not matter
            }
        } catch (java.net.SocketException reset) {
            // closed with our bytes unread: also closed
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
