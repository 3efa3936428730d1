package io.wsgate.micrometer;

import io.wsgate.core.policy.jwt.JwtAlgorithm;
import io.wsgate.core.policy.jwt.JwtKey;
import io.wsgate.core.policy.jwt.JwtValidation;
import io.wsgate.core.policy.limit.RateKey;
import io.wsgate.core.policy.limit.RateLimitByKey;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.wsgate.micrometer.WsGateMetrics.HANDSHAKES;
import static io.wsgate.micrometer.WsGateMetrics.HANDSHAKES_PENDING;
import static io.wsgate.micrometer.WsGateMetrics.HANDSHAKE_DURATION;
import static io.wsgate.micrometer.WsGateMetrics.PAIRS_ACTIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** wsgate.handshakes, wsgate.handshake.duration and wsgate.handshakes.pending over real handshakes. */
class HandshakeMetricsTest extends MetricsTestBase {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private double handshakes(String api, String outcome, int status, String error) {
        return count(HANDSHAKES, api, WsGateMetrics.TAG_OUTCOME, outcome, WsGateMetrics.TAG_STATUS,
                Integer.toString(status), WsGateMetrics.TAG_ERROR, error);
    }

    @Test
    void anAcceptedHandshakeIsCountedAndTimedAndItsPairIsActiveUntilItCloses() throws Exception {
        startGateway(api("echo", "/echo").build());

        TestClient c = TestClient.connect(client, gw("/echo"));
        c.sendText("hi");
        assertThat(c.nextText()).isEqualTo("hi");

        assertThat(handshakes("echo", "accepted", 101, "none")).isEqualTo(1);
        assertThat(meter(HANDSHAKE_DURATION, "echo").timer().count()).isEqualTo(1);
        assertThat(gauge(HANDSHAKES_PENDING, "echo")).isZero();
        assertThat(gauge(PAIRS_ACTIVE, "echo")).isEqualTo(1);
        c.closeNormally();
        await().atMost(WAIT).until(() -> gauge(PAIRS_ACTIVE, "echo") == 0);
    }

    @Test
    void aPathNoApiMatchesIsRejectedWith404UnderApiNone() throws Exception {
        startGateway(api("echo", "/echo").build());

        assertThat(upgradeStatus("/nowhere")).isEqualTo(404);

        assertThat(handshakes("none", "rejected", 404, "API_NOT_FOUND")).isEqualTo(1);
        assertThat(meter(HANDSHAKE_DURATION, "none").timer().count()).isEqualTo(1);
        assertThat(gauge(HANDSHAKES_PENDING, "none")).isZero();
        assertThat(registry.find(HANDSHAKES).tag(WsGateMetrics.TAG_API, "echo").counters()).isEmpty();
    }

    @Test
    void aMissingTokenIsRejectedWith401UnderItsApi() throws Exception {
        startGateway(api("chat", "/chat").onHandshake(JwtValidation.builder()
                .key(JwtKey.hmac(JwtAlgorithm.HS256, SECRET)).build()).build());

        assertThat(upgradeStatus("/chat")).isEqualTo(401);

        assertThat(handshakes("chat", "rejected", 401, "UNAUTHORIZED")).isEqualTo(1);
        assertThat(gauge(HANDSHAKES_PENDING, "chat")).isZero();
        assertThat(gauge(PAIRS_ACTIVE, "chat")).isZero();
    }

    @Test
    void aRateLimitedHandshakeIsRejectedWith429AndTheAdmittedOneIsAccepted() throws Exception {
        startGateway(api("chat", "/chat").onHandshake(
                RateLimitByKey.rate(1, Duration.ofHours(1)).key(RateKey.clientIp()).build()).build());

        TestClient first = TestClient.connect(client, gw("/chat"));
        assertThat(upgradeStatus("/chat")).isEqualTo(429);
        first.closeNormally();

        assertThat(handshakes("chat", "accepted", 101, "none")).isEqualTo(1);
        assertThat(handshakes("chat", "rejected", 429, "RATE_LIMITED")).isEqualTo(1);
        assertThat(meter(HANDSHAKE_DURATION, "chat").timer().count()).isEqualTo(2);
        assertThat(gauge(HANDSHAKES_PENDING, "chat")).isZero();
    }

    @Test
    void anUnreachableBackendFailsTheHandshakeWith502() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        startGateway(api("down", "/down").backend("ws://127.0.0.1:" + closedPort + "/").build());

        assertThat(upgradeStatus("/down")).isEqualTo(502);

        assertThat(handshakes("down", "failed", 502, "BACKEND_UNAVAILABLE")).isEqualTo(1);
        assertThat(gauge(HANDSHAKES_PENDING, "down")).isZero();
        assertThat(gauge(PAIRS_ACTIVE, "down")).isZero();
    }

    @Test
    void aHandshakeWaitingForItsBackendIsPendingUntilItFails() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            startGateway(api("slow", "/slow").backend("ws://127.0.0.1:" + silent.getLocalPort() + "/").build());
            CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> {
                try {
                    return upgradeStatus("/slow");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Socket accepted = silent.accept()) {
                readHead(accepted.getInputStream()); // the gateway's handshake reached the backend, unanswered
                assertThat(gauge(HANDSHAKES_PENDING, "slow")).isEqualTo(1);
                assertThat(registry.find(HANDSHAKES).counters()).isEmpty();
            } // the backend drops the connection
            assertThat(status.get(10, TimeUnit.SECONDS)).isEqualTo(502);
        }
        assertThat(gauge(HANDSHAKES_PENDING, "slow")).isZero();
        assertThat(registry.get(HANDSHAKES).tag(WsGateMetrics.TAG_API, "slow")
                .tag(WsGateMetrics.TAG_OUTCOME, "failed").counter().count()).isEqualTo(1);
    }

    private static void readHead(InputStream in) throws Exception {
        int state = 0;
        while (state < 4) {
            int b = in.read();
            assertThat(b).as("the gateway's request head").isNotNegative();
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : (b == '\r' ? 1 : 0);
        }
    }
}
