package io.wsgate.jetty;

import io.wsgate.api.ApiDefinition;
import io.wsgate.core.GatewayConfig;
import io.wsgate.core.policy.jwt.JwtAlgorithm;
import io.wsgate.core.policy.jwt.JwtKey;
import io.wsgate.core.policy.jwt.JwtValidation;
import io.wsgate.testing.ManualScheduler;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Live-token enforcement through the real gateway, with the gateway's clock and scheduler driven by the test. */
@ParameterizedClass(name = "{0}")
@EnumSource(Mount.class)
class LiveTokenEndToEndTest extends PolicyTestBase {

    private final ManualScheduler time = ManualScheduler.startingAt(Instant.now());

    LiveTokenEndToEndTest(Mount mount) {
        super(mount);
    }

    @AfterEach
    void noTimerOutlivesItsPair() {
        if (gateway != null) {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(gateway.gateway().openPairs()).isZero();
                assertThat(gateway.gateway().pairDeadlines()).isZero();
                assertThat(time.pending()).isZero();
            });
        }
    }

    private void start(ApiDefinition.Builder... apis) throws Exception {
        GatewayConfig.Builder config = GatewayConfig.builder().clock(time.clock()).scheduler(time);
        for (ApiDefinition.Builder api : apis) {
            config.api(api.onHandshake(JwtValidation.builder().key(JwtKey.hmac(JwtAlgorithm.HS256, SECRET))
                    .clockSkew(Duration.ofSeconds(30)).build()).build());
        }
        startGateway(config.build());
    }

    private Map<String, String> tokenExpiringIn(Duration d) {
        return Map.of("Authorization", "Bearer " + token(b -> b.withExpiresAt(time.now().plus(d))));
    }

    @Test
    void thePairIsClosedWith1008OnBothSidesOnceTheTokenExpiresPlusSkew() throws Exception {
        AccessLogLines log = AccessLogLines.capture();
        try {
            tokenExpiryClosesBothSides(log);
        } finally {
            log.close();
        }
    }

    private void tokenExpiryClosesBothSides(AccessLogLines log) throws Exception {
        start(api("chat", "/chat", "/backend"));
        RecordingClient c = connect("/chat", tokenExpiringIn(Duration.ofSeconds(60)));
        seen();
        c.sendText("before expiry");
        assertThat(TestBackend.text(c.nextData())).isEqualTo("before expiry");
        await().atMost(Duration.ofSeconds(10)).until(() -> time.pending() == 1);

        time.advance(Duration.ofSeconds(59));
        assertThat(c.closed).isNotDone();
        time.advance(Duration.ofSeconds(32)); // exp + 30 s of skew is behind us

        CloseStatus atClient = c.awaitClosed();
        assertThat(atClient.getCode()).isEqualTo(1008);
        assertThat(atClient.getReason()).isEqualTo("token expired");
        CloseStatus atBackend = backend.closes.poll(10, TimeUnit.SECONDS);
        assertThat(atBackend.getCode()).isEqualTo(1008);
        assertThat(atBackend.getReason()).isEqualTo("token expired");
        assertThat(log.pairOf("chat")).containsEntry("closedBy", "GATEWAY").containsEntry("closeCause", "TOKEN_EXPIRED")
                .containsEntry("clientCloseCode", "1008").containsEntry("backendCloseCode", "1008");
    }

    @Test
    void aPairClosedBeforeExpiryCancelsItsTimer() throws Exception {
        start(api("chat", "/chat", "/backend"));
        RecordingClient c = connect("/chat", tokenExpiringIn(Duration.ofMinutes(5)));
        seen();
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.gateway().pairDeadlines() == 1);

        echoAndClose(c);

        await().atMost(Duration.ofSeconds(10)).until(() -> time.pending() == 0);
        assertThat(time.advance(Duration.ofHours(1))).isZero();
    }

    @Test
    void anApiThatOptsOutKeepsItsPairsPastExpiryWhileOthersAreClosed() throws Exception {
        start(api("chat", "/chat", "/backend"), api("legacy", "/legacy", "/backend").enforceTokenExpiry(false));
        RecordingClient enforced = connect("/chat", tokenExpiringIn(Duration.ofSeconds(60)));
        RecordingClient legacy = connect("/legacy", tokenExpiringIn(Duration.ofSeconds(60)));
        seen();
        seen();
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.gateway().openPairs() == 2 && time.pending() == 1);

        time.advance(Duration.ofMinutes(10));

        assertThat(enforced.awaitClosed().getCode()).isEqualTo(1008);
        legacy.sendText("still here");
        assertThat(TestBackend.text(legacy.nextData())).isEqualTo("still here");
        echoAndClose(legacy);
    }
}
