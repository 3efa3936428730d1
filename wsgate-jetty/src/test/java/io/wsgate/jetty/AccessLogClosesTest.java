package io.wsgate.jetty;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.ApiLimits;
import io.wsgate.core.DrainOptions;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.OpCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.wsgate.jetty.RawFrames.MASK;
import static io.wsgate.jetty.RawFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The access log says who ended a pair and why, with the close code each side got: a side's own close,
 * and each close the gateway decides (too big, protocol error, bad data, idle, the application, drain).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Mount.class)
class AccessLogClosesTest extends GatewayTestBase {

    private AccessLogLines log;

    AccessLogClosesTest(Mount mount) {
        super(mount);
    }

    @BeforeEach
    void captureTheAccessLog() {
        log = AccessLogLines.capture();
    }

    @AfterEach
    void stopCapturing() {
        log.close();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void assertClose(Map<String, String> line, String closedBy, String cause, String closeCode,
                                    String clientGot, String backendGot) {
        assertThat(line).containsEntry("closedBy", closedBy).containsEntry("closeCause", cause)
                .containsEntry("closeCode", closeCode).containsEntry("clientCloseCode", clientGot)
                .containsEntry("backendCloseCode", backendGot);
    }

    /** Sends a bad frame on a raw client and reads the gateway's close; the backend gets its close. */
    private void rawClientSends(String path, byte[] bad, int expected) throws Exception {
        try (Socket s = upgradedRawClient(path)) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(bad);
            assertThat(RawFrames.readUntilClose(in).closeCode()).isEqualTo(expected);
        }
        assertThat(backend.closes.poll(10, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void aClientsOwnCloseIsTheClientsWithTheBackendsAnswer() throws Exception {
        startGateway(api("own", "/own", "/backend").build());
        RecordingClient c = RecordingClient.connect(client, gw("/own"));
        c.session.close(4000, "leaving", Callback.NOOP);
        c.awaitClosed();

        Map<String, String> line = log.pairOf("own");
        assertClose(line, "CLIENT", "NORMAL", "4000", "4000", "4000");
        assertThat(line).containsEntry("closeReason", "leaving");
    }

    @Test
    void aFrameOverTheLimitIsTheGatewaysDecisionTooBig() throws Exception {
        startGateway(api("frame", "/frame", "/backend").limits(ApiLimits.ofDefaults().withMaxFrameSize(100)).build());
        rawClientSends("/frame", frame(0x82, new byte[101], MASK), 1009);

        assertClose(log.pairOf("frame"), "GATEWAY", "TOO_BIG", "1009", "1009", "1001");
    }

    @Test
    void aMessageOverTheLimitIsTheGatewaysDecisionTooBig() throws Exception {
        startGateway(api("message", "/message", "/backend")
                .limits(ApiLimits.ofDefaults().withMaxMessageSize(1000).withMaxFrameSize(600)).build());
        RecordingClient c = RecordingClient.connect(client, gw("/message"));
        c.send(OpCode.BINARY, false, ByteBuffer.allocate(500));
        c.send(OpCode.CONTINUATION, false, ByteBuffer.allocate(500));
        c.send(OpCode.CONTINUATION, true, ByteBuffer.allocate(500));
        assertThat(c.awaitClosed().getCode()).isEqualTo(1009);

        Map<String, String> line = log.pairOf("message");
        assertClose(line, "GATEWAY", "TOO_BIG", "1009", "1009", "1001");
        assertThat(line).containsEntry("closeReason", "Message too big");
    }

    @Test
    void aProtocolErrorIsTheGatewaysDecision() throws Exception {
        startGateway(api("proto", "/proto", "/backend").build());
        rawClientSends("/proto", frame(0x81, utf8("unmasked"), null), 1002);

        assertClose(log.pairOf("proto"), "GATEWAY", "PROTOCOL_ERROR", "1002", "1002", "1001");
    }

    @Test
    void textThatIsNotUtf8IsTheGatewaysDecisionBadData() throws Exception {
        startGateway(api("utf8", "/utf8", "/backend").build());
        rawClientSends("/utf8", frame(0x81, new byte[]{'a', (byte) 0xFF}, MASK), 1007);

        assertClose(log.pairOf("utf8"), "GATEWAY", "BAD_DATA", "1007", "1007", "1001");
    }

    @Test
    void aBackendThatBreaksTheProtocolIsTheGatewaysDecisionAndTheClientGets1011() throws Exception {
        try (RawBackend raw = new RawBackend((key, in, out, s) -> {
            RawBackend.answer101(out, RawFrames.accept(key));
            out.write(frame(0x81, utf8("masked"), MASK));
            out.flush();
            RawFrames.readUntilClose(in);
        })) {
            startGateway(ApiDefinition.builder("badbackend").backend(raw.url()).urlSuffix("/bad").build());
            RecordingClient c = RecordingClient.connect(client, gw("/bad"));
            assertThat(c.awaitClosed().getCode()).isEqualTo(1011);

            assertClose(log.pairOf("badbackend"), "GATEWAY", "PROTOCOL_ERROR", "1002", "1011", "1002");
        }
    }

    @Test
    void theIdleTimeoutIsTheGatewaysDecision() throws Exception {
        startGateway(api("idle", "/idle", "/backend").limits(ApiLimits.ofDefaults().withIdleTimeout(Duration.ofMillis(100))).build());
        RecordingClient c = RecordingClient.connect(client, gw("/idle"));
        assertThat(c.awaitClosed().getCode()).isEqualTo(1001);

        assertClose(log.pairOf("idle"), "GATEWAY", "IDLE", "1001", "1001", "1001");
    }

    @Test
    void theApplicationClosingAPairIsTheGatewaysDecision() throws Exception {
        startGateway(api("app", "/app", "/backend").build());
        RecordingClient c = RecordingClient.connect(client, gw("/app"));
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.gateway().openPairs() == 1);
        gateway.gateway().pairs().iterator().next().close(4100, "maintenance");
        assertThat(c.awaitClosed().getCode()).isEqualTo(4100);

        Map<String, String> line = log.pairOf("app");
        assertClose(line, "GATEWAY", "APPLICATION", "4100", "4100", "4100");
        assertThat(line).containsEntry("closeReason", "maintenance");
    }

    @Test
    void aDrainIsTheGatewaysDecisionDrained() throws Exception {
        startGateway(api("drain", "/drain", "/backend").build());
        RecordingClient c = RecordingClient.connect(client, gw("/drain"));
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.gateway().openPairs() == 1);
        gateway.gateway().drain(DrainOptions.ofDefaults());
        assertThat(c.awaitClosed().getCode()).isEqualTo(1001);

        assertClose(log.pairOf("drain"), "GATEWAY", "DRAINED", "1001", "1001", "1001");
    }

    @Test
    void aClientThatDropsIsTheClientsDisconnect() throws Exception {
        startGateway(api("drop", "/drop", "/backend").build());
        RecordingClient c = RecordingClient.connect(client, gw("/drop"));
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.gateway().openPairs() == 1);
        c.session.abort();

        assertClose(log.pairOf("drop"), "CLIENT", "DISCONNECTED", "1006", "1006", "1001");
    }
}
