package io.wsgate.jetty;

import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.wsgate.jetty.RawFrames.MASK;
import static io.wsgate.jetty.RawFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client's 101, as each mount writes it (the Handler and the Servlet on Jetty's HTTP/1.1 response, the
 * dedicated connector as bytes of its own): exactly the upgrade's headers, the backend's subprotocol, the
 * client's first frames right behind its request, and a client that leaves while its upgrade is on its way.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Mount.class)
class ClientUpgradeTest extends GatewayTestBase {

    /** RFC 6455 §1.3: the accept value of the key {@link #upgradeRequest} sends. */
    private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    ClientUpgradeTest(Mount mount) {
        super(mount);
    }

    @Test
    void the101CarriesTheUpgradesHeadersAndNoExtensionOrBody() throws Exception {
        startGateway(api("echo", "/echo", "/backend").build());
        try (Socket s = new Socket("127.0.0.1", gatewayPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(upgradeRequest("/echo", "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 101 Switching Protocols\r\n");
            assertThat(upgradeHeaders(head)).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "upgrade", "websocket", "connection", "Upgrade", "sec-websocket-accept", ACCEPT));
            // the next bytes are the backend's close, relayed as a frame: nothing of a body came between
            s.getOutputStream().write(frame(0x88, RawFrames.close(1000, new byte[0]), MASK));
            assertThat(RawFrames.readUntilClose(in).closeCode()).isEqualTo(1000);
        }
    }

    @Test
    void the101NamesTheSubprotocolTheBackendChoseOnce() throws Exception {
        backend.chooseSubprotocol = "v2.chat";
        startGateway(api("echo", "/echo", "/backend").build());
        try (Socket s = new Socket("127.0.0.1", gatewayPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(upgradeRequest("/echo", "Sec-WebSocket-Protocol: v1.chat, v2.chat")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 101 ").containsOnlyOnce("Sec-WebSocket-Protocol");
            assertThat(upgradeHeaders(head)).containsExactlyInAnyOrderEntriesOf(Map.of("upgrade", "websocket",
                    "connection", "Upgrade", "sec-websocket-accept", ACCEPT, "sec-websocket-protocol", "v2.chat"));
            s.getOutputStream().write(frame(0x88, RawFrames.close(1000, new byte[0]), MASK));
            assertThat(RawFrames.readUntilClose(in).closeCode()).isEqualTo(1000);
        }
    }

    @Test
    void framesSentRightBehindTheRequestAreRelayed() throws Exception {
        startGateway(api("echo", "/echo", "/backend").build());
        try (Socket s = new Socket("127.0.0.1", gatewayPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            byte[] head = upgradeRequest("/echo").getBytes(StandardCharsets.ISO_8859_1);
            byte[] early = frame(0x81, "early".getBytes(StandardCharsets.UTF_8), MASK);
            byte[] next = frame(0x82, new byte[] {1, 2, 3}, MASK);
            byte[] all = Arrays.copyOf(head, head.length + early.length + next.length);
            System.arraycopy(early, 0, all, head.length, early.length);
            System.arraycopy(next, 0, all, head.length + early.length, next.length);
            out.write(all);
            out.flush();
            InputStream in = s.getInputStream();
            assertThat(readHead(in)).startsWith("HTTP/1.1 101 ").contains("Sec-WebSocket-Accept: " + ACCEPT + "\r\n");
            assertThat(new String(RawFrames.read(in).payload(), StandardCharsets.UTF_8)).isEqualTo("early");
            assertThat(RawFrames.read(in).payload()).containsExactly(1, 2, 3);
            out.write(frame(0x88, RawFrames.close(1000, new byte[0]), MASK));
            assertThat(RawFrames.readUntilClose(in).closeCode()).isEqualTo(1000);
        }
    }

    /**
     * The client leaves while the backend answers, so that the 101 is written to a connection the client has
     * closed (reset: the write fails) or shut (the write succeeds, and the relay reads the end): either way, no
     * pair stays open (checked after each test) and the backend's connection is closed.
     */
    @ParameterizedTest(name = "reset={0}")
    @ValueSource(booleans = {true, false})
    void aClientThatLeavesBeforeIts101LeavesNoPairAndNoBackendConnection(boolean reset) throws Exception {
        startGateway(api("echo", "/echo", "/gated").build());
        try (Socket s = new Socket("127.0.0.1", gatewayPort())) {
            s.getOutputStream().write(upgradeRequest("/echo").getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> backend.gatedWaiting.get() == 1);
            if (reset) {
                s.setSoLinger(true, 0);
            }
        }
        backend.gate.countDown();
        assertThat(backend.closes.poll(10, TimeUnit.SECONDS)).as("the backend's connection was closed").isNotNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> backend.open.get() == 0);
        // the gateway is unharmed: the next client is served
        RecordingClient c = RecordingClient.connect(client, gw("/echo"));
        PolicyTestBase.echoAndClose(c);
    }

    /** @return the 101's headers by lower-case name, but for Jetty's own {@code Server} and {@code Date} */
    private static Map<String, String> upgradeHeaders(String head) {
        Map<String, String> headers = new LinkedHashMap<>();
        String[] lines = head.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            String name = lines[i].substring(0, c).trim().toLowerCase(java.util.Locale.ROOT);
            if (!name.equals("server") && !name.equals("date")) {
                headers.merge(name, lines[i].substring(c + 1).trim(), (a, b) -> a + ", " + b);
            }
        }
        return headers;
    }
}
