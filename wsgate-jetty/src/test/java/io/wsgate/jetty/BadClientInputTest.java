package io.wsgate.jetty;

import org.eclipse.jetty.websocket.core.CloseStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.wsgate.jetty.RawFrames.MASK;
import static io.wsgate.jetty.RawFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** A misbehaving client: a clear answer, the backend side closed, nothing leaked, the gateway unharmed. */
@ParameterizedClass(name = "{0}")
@EnumSource(Mount.class)
class BadClientInputTest extends GatewayTestBase {

    BadClientInputTest(Mount mount) {
        super(mount);
    }

    @BeforeEach
    void gateway() throws Exception {
        startGateway(api("echo", "/echo", "/backend").build());
    }

    @Test
    void aMissingKeyGets400() throws Exception {
        RawResponse r = raw("GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n");
        assertThat(r.status()).isEqualTo(400);
        assertThat(backend.handshakes).isEmpty();
    }

    @Test
    void anHttp10UpgradeGets400BeforeAnyBackendConnection() throws Exception {
        // Jetty's handshaker upgrades HTTP/1.1 only: the gateway's own check must refuse it first, so that no
        // backend WebSocket is opened (and upgraded) for a client that could never be upgraded
        RawResponse r = raw(upgradeRequest("/echo").replace(" HTTP/1.1\r\n", " HTTP/1.0\r\n"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("BAD_HANDSHAKE");
        assertThat(backend.handshakes).isEmpty();
        assertThat(gateway.gateway().pendingHandshakes()).isZero();
    }

    @Test
    void aMissingHostGets400() throws Exception {
        RawResponse r = raw(upgradeRequest("/echo").replace("Host: 127.0.0.1\r\n", ""));
        assertThat(r.status()).isEqualTo(400);
        assertThat(backend.handshakes).isEmpty();
    }

    @Test
    void aBodyOnTheUpgradeIsDroppedAndTheFramesBehindItAreRelayed() throws Exception {
        try (Socket s = new Socket("127.0.0.1", gatewayPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write((upgradeRequest("/echo", "Content-Length: 5") + "hello").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            assertThat(readResponse(in).status()).isEqualTo(101);
            out.write(frame(0x81, "ok".getBytes(StandardCharsets.UTF_8), MASK));
            assertThat(new String(RawFrames.read(in).payload(), StandardCharsets.UTF_8)).isEqualTo("ok");
            out.write(frame(0x88, RawFrames.close(1000, new byte[0]), MASK));
            assertThat(RawFrames.readUntilClose(in).closeCode()).isEqualTo(1000);
        }
    }

    @Test
    void twoHostsGet400() throws Exception {
        RawResponse r = raw(upgradeRequest("/echo", "Host: other"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(backend.handshakes).isEmpty();
    }

    @Test
    void aMalformedKeyGets400() throws Exception {
        RawResponse r = raw(upgradeRequest("/echo").replace("dGhlIHNhbXBsZSBub25jZQ==", "not-base64!"));
        assertThat(r.status()).isEqualTo(400);
    }

    @Test
    void anUnsupportedVersionGets426WithVersion13() throws Exception {
        RawResponse r = raw(upgradeRequest("/echo").replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8"));
        assertThat(r.status()).isEqualTo(426);
        assertThat(r.header("Sec-WebSocket-Version")).isEqualTo("13");
    }

    @Test
    void aNonGetUpgradeIsRefused() throws Exception {
        RawResponse r = raw(upgradeRequest("/echo").replace("GET ", "POST ").replace("Host:", "Content-Length: 0\r\nHost:"));
        assertThat(r.status()).isEqualTo(405);
        assertThat(backend.handshakes).isEmpty();
    }

    @Test
    void oversizedHeadersGet431() throws Exception {
        RawResponse r = raw(upgradeRequest("/echo", "X-Big: " + "a".repeat(20_000)));
        assertThat(r.status()).isEqualTo(431);
    }

    @Test
    void anOverlongUriGets414() throws Exception {
        RawResponse r = raw(upgradeRequest("/echo?" + "q".repeat(20_000)));
        assertThat(r.status()).isEqualTo(414);
    }

    @Test
    void aClientStillSendingAnOversizedFrameReadsItsCloseFrameNotAResetAndTheBackendIsClosedAtOnce() throws Exception {
        try (Socket s = upgradedRawClient("/echo")) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            // 2 MiB announced (the limit is 1 MiB), and a good part of it sent before the gateway's answer is read
            out.write(new byte[]{(byte) 0x82, (byte) 0xFF, 0, 0, 0, 0, 0, 0x20, 0, 0, 1, 2, 3, 4});
            out.write(new byte[512 * 1024]);
            out.flush();

            CloseStatus atBackend = backend.closes.poll(10, TimeUnit.SECONDS);
            assertThat(atBackend).isNotNull();
            assertThat(atBackend.getCode()).isEqualTo(1001);
            assertThat(RawFrames.readUntilClose(in).closeCode()).isEqualTo(1009);
            // the gateway sends nothing more, and keeps reading until the client leaves
            assertThat(in.read()).isEqualTo(-1);
            out.write(new byte[64 * 1024]);
            out.flush();
        }
    }

    static Stream<Arguments> badFrames() {
        byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
        return Stream.of(
                arguments("an unmasked frame", frame(0x81, hello, null), 1002),
                arguments("a reserved bit", frame(0xC1, hello, MASK), 1002),
                arguments("a reserved opcode", frame(0x83, hello, MASK), 1002),
                arguments("a fragmented ping", frame(0x09, hello, MASK), 1002),
                arguments("an oversized ping", frame(0x89, new byte[126], MASK), 1002),
                arguments("a continuation without a start", frame(0x80, hello, MASK), 1002),
                arguments("invalid UTF-8 in text", frame(0x81, new byte[]{'a', (byte) 0xFF}, MASK), 1007),
                arguments("invalid UTF-8 in a close reason", frame(0x88, RawFrames.close(1000, new byte[]{(byte) 0xC3}), MASK), 1007),
                arguments("an invalid close code", frame(0x88, RawFrames.close(1005, new byte[0]), MASK), 1002),
                arguments("a close frame of one byte", frame(0x88, new byte[]{3}, MASK), 1002),
                arguments("a new message inside a fragmented one", concat(frame(0x01, hello, MASK), frame(0x81, hello, MASK)), 1002),
                arguments("a 64-bit length with its top bit set",
                        new byte[]{(byte) 0x82, (byte) 0xFF, (byte) 0x80, 0, 0, 0, 0, 0, 0, 5, 1, 2, 3, 4}, 1002),
                arguments("a frame over the API's frame size limit announced in its header",
                        new byte[]{(byte) 0x82, (byte) 0xFF, 0, 0, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4}, 1009));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @ParameterizedTest(name = "{0} gets {2}")
    @MethodSource("badFrames")
    void aBadFrameAfterTheUpgradeClosesTheClientWithAProtocolCodeAndTheBackendToo(String what, byte[] bad, int code)
            throws Exception {
        try (Socket s = upgradedRawClient("/echo")) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(frame(0x81, "ok".getBytes(StandardCharsets.UTF_8), MASK));
            assertThat(new String(RawFrames.read(in).payload(), StandardCharsets.UTF_8)).isEqualTo("ok");

            out.write(bad);
            assertThat(RawFrames.readUntilClose(in).closeCode()).isEqualTo(code);
        }
        CloseStatus atBackend = backend.closes.poll(10, TimeUnit.SECONDS);
        assertThat(atBackend).isNotNull();
        assertThat(atBackend.getCode()).isEqualTo(1001);
        // The gateway is unharmed: the next client is served.
        RecordingClient c = RecordingClient.connect(client, gw("/echo"));
        c.sendText("still here");
        assertThat(TestBackend.text(c.nextData())).isEqualTo("still here");
        c.session.close(1000, "", org.eclipse.jetty.util.Callback.NOOP);
        c.awaitClosed();
    }
}
