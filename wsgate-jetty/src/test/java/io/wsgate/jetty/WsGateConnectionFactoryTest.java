package io.wsgate.jetty;

import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What only the dedicated connector does (the suites parameterized over {@link Mount} show it does what the
 * Handler does, {@link ClientUpgradeTest} that its 101 is the Handler's): every error ends the connection, a
 * request for HTTP/2 is answered and closed, one factory serves one connector.
 */
class WsGateConnectionFactoryTest extends GatewayTestBase {

    WsGateConnectionFactoryTest() {
        super(Mount.CONNECTOR);
    }

    @Test
    void aPlainGetGets426AndTheConnectionEnds() throws Exception {
        startGateway(api("echo", "/echo", "/backend").build());
        try (Socket s = new Socket("127.0.0.1", gatewayPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            RawResponse r = readResponse(in);
            assertThat(r.status()).isEqualTo(426);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(r.body()).contains("\"error\":\"UPGRADE_REQUIRED\"");
            assertThat(in.read()).as("nothing follows the error").isEqualTo(-1);
        }
        assertThat(backend.handshakes).isEmpty();
    }

    @Test
    void aHeadRequestGetsTheErrorsHeadWithoutItsBody() throws Exception {
        startGateway(api("echo", "/echo", "/backend").build());
        try (Socket s = new Socket("127.0.0.1", gatewayPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("HEAD /nowhere HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 404 ").contains("Connection: close\r\n").contains("Content-Length: ");
            assertThat(in.read()).as("no body").isEqualTo(-1);
        }
    }

    @Test
    void anHttp2PrefaceIsAnsweredWithAnErrorAndTheConnectionEnds() throws Exception {
        startGateway(api("echo", "/echo", "/backend").build());
        try (Socket s = new Socket("127.0.0.1", gatewayPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            RawResponse r = readResponse(in);
            assertThat(r.status()).isBetween(400, 499);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(backend.handshakes).isEmpty();
    }

    @Test
    void aClientThatLeavesMidHeaderLeavesNothingBehind() throws Exception {
        startGateway(api("echo", "/echo", "/backend").build());
        try (Socket s = new Socket("127.0.0.1", gatewayPort())) {
            s.getOutputStream().write("GET /echo HTTP/1.1\r\nHost: x\r\nUpg".getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
        }
        // the gateway is unharmed: the next client is served
        RecordingClient c = RecordingClient.connect(client, gw("/echo"));
        PolicyTestBase.echoAndClose(c);
        assertThat(gateway.gateway().pendingHandshakes()).isZero();
    }

    @Test
    void aClientThatKeepsSendingAfterItsErrorIsClosedOnceItSentTooMuch() throws Exception {
        startGateway(api("echo", "/echo", "/backend").build());
        try (Socket s = new Socket("127.0.0.1", gatewayPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(upgradeRequest("/nowhere").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            assertThat(readResponse(in).status()).isEqualTo(404);
            byte[] junk = new byte[16 * 1024];
            try {
                for (int i = 0; i < 64; i++) { // 1 MiB, four times what the connector drops before it closes
                    out.write(junk);
                }
            } catch (java.net.SocketException closed) {
                // the gateway closed the connection while this was still sending: expected
            }
            assertThat(readOrReset(in)).as("the gateway closed the connection").isEqualTo(-1);
        }
    }

    @Test
    void aClientThatStaysAfterItsErrorIsClosedAtTheLinger() throws Exception {
        HandshakeDeadlineTest.ManualTimers timers = new HandshakeDeadlineTest.ManualTimers();
        gatewayServer = new org.eclipse.jetty.server.Server();
        ServerConnector connector = new ServerConnector(gatewayServer, null, timers, null, 1, 1,
                new org.eclipse.jetty.server.HttpConnectionFactory());
        connector.setHost("127.0.0.1");
        gatewayServer.addConnector(connector);
        serve(connector, io.wsgate.core.GatewayConfig.builder().api(api("echo", "/echo", "/backend").build()).build(), null, b -> { });
        gatewayServer.start();
        try (Socket s = new Socket("127.0.0.1", gatewayPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(upgradeRequest("/nowhere").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            assertThat(readResponse(in).status()).isEqualTo(404);
            // the gateway shut its output (the client reads the end of the response) and waits for the client to leave
            assertThat(in.read()).isEqualTo(-1);
            assertThat(connector.getConnectedEndPoints()).as("still open before the linger").hasSize(1);
            timers.advance(java.time.Duration.ofMillis(io.wsgate.jetty.internal.dedicated.UpgradeRequestConnection.LINGER_MILLIS));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> connector.getConnectedEndPoints().isEmpty());
        }
    }

    private static int readOrReset(InputStream in) throws java.io.IOException {
        try {
            while (in.read() >= 0) {
                // what the gateway wrote before it closed: nothing, past the error
            }
            return -1;
        } catch (java.net.SocketException reset) {
            return -1;
        }
    }

    @Test
    void oneFactoryServesOneConnector() throws Exception {
        WsGateConnectionFactory factory = WsGateConnectionFactory.builder(
                io.wsgate.core.GatewayConfig.builder().api(api("echo", "/echo", "/backend").build()).build()).build();
        gatewayServer = new org.eclipse.jetty.server.Server();
        ServerConnector first = new ServerConnector(gatewayServer, 1, 1, factory);
        ServerConnector second = new ServerConnector(gatewayServer, 1, 1, factory);
        first.setHost("127.0.0.1");
        second.setHost("127.0.0.1");
        gatewayServer.addConnector(first);
        gatewayServer.addConnector(second);
        assertThatThrownBy(gatewayServer::start).hasStackTraceContaining("serves one connector");
    }
}
