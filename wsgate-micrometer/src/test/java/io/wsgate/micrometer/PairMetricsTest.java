package io.wsgate.micrometer;

import io.wsgate.api.ApiLimits;
import org.eclipse.jetty.websocket.core.OpCode;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static io.wsgate.micrometer.WsGateMetrics.BYTES;
import static io.wsgate.micrometer.WsGateMetrics.CLOSES;
import static io.wsgate.micrometer.WsGateMetrics.MESSAGES;
import static io.wsgate.micrometer.WsGateMetrics.PAIRS_ACTIVE;
import static io.wsgate.micrometer.WsGateMetrics.PAIR_DURATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** wsgate.messages, wsgate.bytes, wsgate.closes, wsgate.pair.duration and wsgate.pairs.active over real pairs. */
class PairMetricsTest extends MetricsTestBase {

    private double closes(String api, int code, String by, String cause) {
        return count(CLOSES, api, WsGateMetrics.TAG_CODE, Integer.toString(code), WsGateMetrics.TAG_BY, by,
                WsGateMetrics.TAG_CAUSE, cause);
    }

    @Test
    void messagesAndBytesMoveInBothDirectionsWhileThePairIsLiveAndStayWhenItCloses() throws Exception {
        startGateway(api("echo", "/echo").build(), api("chat", "/chat").build());
        TestClient c = TestClient.connect(client, gw("/echo"));
        TestClient other = TestClient.connect(client, gw("/chat"));

        c.sendText("hello");
        assertThat(c.nextText()).isEqualTo("hello");
        c.sendText("abc");
        assertThat(c.nextText()).isEqualTo("abc");

        await().atMost(WAIT).until(() -> total(MESSAGES, "echo", "outbound") == 2);
        assertThat(gateway.gateway().openPairs()).as("still live").isEqualTo(2);
        assertThat(total(MESSAGES, "echo", "inbound")).isEqualTo(2);
        assertThat(total(BYTES, "echo", "inbound")).isEqualTo(8);
        assertThat(total(BYTES, "echo", "outbound")).isEqualTo(8);
        assertThat(gauge(PAIRS_ACTIVE, "echo")).isEqualTo(1);
        assertThat(total(MESSAGES, "chat", "inbound")).as("another API's pair counts apart").isZero();

        c.closeNormally();
        await().atMost(WAIT).until(() -> gauge(PAIRS_ACTIVE, "echo") == 0);
        assertThat(total(MESSAGES, "echo", "inbound")).as("the closed pair's counts stay").isEqualTo(2);
        assertThat(total(MESSAGES, "echo", "outbound")).isEqualTo(2);
        assertThat(total(BYTES, "echo", "inbound")).isEqualTo(8);
        assertThat(total(BYTES, "echo", "outbound")).isEqualTo(8);

        TestClient again = TestClient.connect(client, gw("/echo"));
        again.sendText("x");
        assertThat(again.nextText()).isEqualTo("x");
        await().atMost(WAIT).until(() -> total(BYTES, "echo", "outbound") == 9);
        assertThat(total(MESSAGES, "echo", "inbound")).as("closed plus live").isEqualTo(3);
        again.closeNormally();
        other.closeNormally();
        await().atMost(WAIT).until(() -> gauge(PAIRS_ACTIVE, "echo") == 0 && gauge(PAIRS_ACTIVE, "chat") == 0);
        assertThat(total(MESSAGES, "echo", "inbound")).isEqualTo(3);
        assertThat(total(BYTES, "echo", "outbound")).isEqualTo(9);
        assertThat(meter(PAIR_DURATION, "echo").timer().count()).isEqualTo(2);
        assertThat(meter(PAIR_DURATION, "chat").timer().count()).isEqualTo(1);
    }

    @Test
    void aClientCloseIsCountedByClientNormalWithItsCode() throws Exception {
        startGateway(api("echo", "/echo").build());
        TestClient.connect(client, gw("/echo")).closeNormally();

        await().atMost(WAIT).until(() -> gauge(PAIRS_ACTIVE, "echo") == 0);
        assertThat(closes("echo", 1000, "client", "normal")).isEqualTo(1);
        assertThat(meter(PAIR_DURATION, "echo").timer().count()).isEqualTo(1);
    }

    @Test
    void aBackendCloseIsCountedByBackendWithItsCode() throws Exception {
        startGateway(api("echo", "/echo").build());
        TestClient c = TestClient.connect(client, gw("/echo"));
        c.sendText("close:4001:done");

        assertThat(c.awaitClosed().getCode()).isEqualTo(4001);
        await().atMost(WAIT).until(() -> gauge(PAIRS_ACTIVE, "echo") == 0);
        assertThat(closes("echo", 4001, "backend", "normal")).isEqualTo(1);
        assertThat(total(MESSAGES, "echo", "inbound")).isEqualTo(1);
        assertThat(total(MESSAGES, "echo", "outbound")).isZero();
    }

    @Test
    void aMessageOverTheLimitIsCountedByGatewayTooBigWith1009() throws Exception {
        startGateway(api("echo", "/echo").limits(ApiLimits.ofDefaults().withMaxMessageSize(100)).build());
        TestClient c = TestClient.connect(client, gw("/echo"));
        c.send(OpCode.BINARY, ByteBuffer.allocate(101));

        assertThat(c.awaitClosed().getCode()).isEqualTo(1009);
        await().atMost(WAIT).until(() -> gauge(PAIRS_ACTIVE, "echo") == 0);
        assertThat(closes("echo", 1009, "gateway", "too_big")).isEqualTo(1);
        assertThat(registry.get(CLOSES).counters()).hasSize(1);
        assertThat(total(MESSAGES, "echo", "inbound")).as("the message was not relayed").isZero();
    }
}
