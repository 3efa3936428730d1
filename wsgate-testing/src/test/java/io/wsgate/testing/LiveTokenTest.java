package io.wsgate.testing;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import io.wsgate.api.ApiDefinition;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.policy.jwt.JwtAlgorithm;
import io.wsgate.core.policy.jwt.JwtKey;
import io.wsgate.core.policy.jwt.JwtValidation;
import io.wsgate.core.DrainOptions;
import io.wsgate.core.Gateway;
import io.wsgate.core.GatewayConfig;
import io.wsgate.core.Scheduler;
import io.wsgate.core.transport.BackendOutcome;
import io.wsgate.core.transport.PairRelay;
import io.wsgate.core.transport.Peer;
import io.wsgate.core.transport.SideEnd;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live-token enforcement: a pair admitted on a token with {@code exp} is closed with 1008 once exp + skew passes.
 * Core's flow, driven through the public ports with this module's fakes and {@link ManualScheduler}.
 */
class LiveTokenTest {

    private static final Instant START = Instant.parse("2030-01-01T12:00:00Z");
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
            .getBytes(StandardCharsets.UTF_8);

    private final ManualScheduler time = ManualScheduler.startingAt(START);

    /** One established pair and its two sides. */
    record Pair(PairRelay relay, RecordingTransportSide client, RecordingTransportSide backend) {
        void endBoth(int code, String reason) {
            relay.ended(Peer.CLIENT, new SideEnd(SideEnd.Kind.CLOSED, code, reason));
            relay.ended(Peer.BACKEND, new SideEnd(SideEnd.Kind.CLOSED, code, reason));
        }
    }

    private Gateway gateway(UnaryOperator<ApiDefinition.Builder> api, UnaryOperator<JwtValidation.Builder> jwt) {
        JwtValidation validation = jwt.apply(JwtValidation.builder().key(JwtKey.hmac(JwtAlgorithm.HS256, SECRET))
                .clockSkew(Duration.ofSeconds(30)).clock(time.clock())).build();
        ApiDefinition definition = api.apply(ApiDefinition.builder("chat").backend("ws://127.0.0.1:9/")
                .urlSuffix("/chat").onHandshake(validation)).build();
        return Gateway.create(GatewayConfig.builder().clock(time.clock()).scheduler(time).api(definition).build());
    }

    private Gateway gateway() {
        return gateway(a -> a, j -> j);
    }

    private static String token(UnaryOperator<JWTCreator.Builder> claims) {
        return claims.apply(JWT.create().withSubject("ann")).sign(Algorithm.HMAC256(SECRET));
    }

    private String expiringIn(Duration d) {
        return token(b -> b.withExpiresAt(time.now().plus(d)));
    }

    private static HandshakeRequest upgrade(String token) {
        return HandshakeRequest.builder().path("/chat")
                .header("Upgrade", "websocket").header("Connection", "Upgrade")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .header("Authorization", "Bearer " + token).build();
    }

    private static Pair open(Gateway gateway, String token) {
        RecordingTransportSide client = RecordingTransportSide.create();
        RecordingTransportSide backend = RecordingTransportSide.create();
        RecordingClientHandshake port = RecordingClientHandshake.upgradingTo(client);
        gateway.handshake(upgrade(token), "/chat", port, ScriptedBackends.answering(BackendOutcome.connected(backend, "")));
        assertThat(port.rejection()).isEmpty();
        PairRelay relay = client.relay().orElseThrow(() -> new AssertionError("the pair was not established"));
        return new Pair(relay, client, backend);
    }

    @Test
    void closesBothSidesWith1008OnceExpiryPlusSkewHasPassed() throws Exception {
        Gateway gateway = gateway();
        Pair pair = open(gateway, expiringIn(Duration.ofSeconds(60)));
        assertThat(time.dueTimes()).containsExactly(START.plusSeconds(90));

        time.advance(Duration.ofSeconds(89));
        assertThat(pair.client().closes()).isEmpty();
        assertThat(pair.relay().isClosed()).isFalse();
        time.advance(Duration.ofSeconds(1));

        assertThat(pair.client().closes()).containsExactly("1008 token expired");
        assertThat(pair.backend().closes()).containsExactly("1008 token expired");
        assertThat(gateway.pairDeadlines()).isZero();
        pair.endBoth(1008, "token expired");
        assertThat(gateway.openPairs()).isZero();
        assertThat(gateway.pendingHandshakes()).isZero();
        assertThat(time.pending()).isZero();
    }

    @Test
    void aPairThatEndsBeforeItsTokenExpiresLeavesNoTimerBehind() throws Exception {
        Gateway gateway = gateway();
        Pair pair = open(gateway, expiringIn(Duration.ofMinutes(10)));
        assertThat(time.pending()).isEqualTo(1);
        assertThat(gateway.pairDeadlines()).isEqualTo(1);

        pair.endBoth(1000, "bye");

        assertThat(time.pending()).isZero();
        assertThat(gateway.pairDeadlines()).isZero();
        assertThat(time.advance(Duration.ofHours(1))).isZero();
        assertThat(pair.client().closes()).isEmpty();
        assertThat(gateway.openPairs()).isZero();
    }

    @Test
    void aTokenThatExpiredDuringTheHandshakeClosesThePairAtOnce() throws Exception {
        Gateway gateway = gateway();
        RecordingTransportSide client = RecordingTransportSide.create();
        RecordingTransportSide backend = RecordingTransportSide.create();
        CompletableFuture<BackendOutcome> backendAnswer = new CompletableFuture<>();
        gateway.handshake(upgrade(expiringIn(Duration.ofSeconds(10))), "/chat", RecordingClientHandshake.upgradingTo(client),
                ScriptedBackends.answeringWhen(backendAnswer));
        time.advance(Duration.ofSeconds(45)); // the backend took its time: exp + skew is behind us
        backendAnswer.complete(BackendOutcome.connected(backend, ""));
        PairRelay relay = client.relay().orElseThrow();

        assertThat(time.runDue()).isEqualTo(1);
        assertThat(client.closes()).containsExactly("1008 token expired");
        new Pair(relay, client, backend).endBoth(1008, "token expired");
        assertThat(gateway.openPairs()).isZero();
        assertThat(time.pending()).isZero();
    }

    @Test
    void aPairWithAMaximumLifetimeClosesAtTheEarlierOfItsTokensExpiryAndItsLifetime() throws Exception {
        Gateway gateway = gateway(a -> a.limits(io.wsgate.api.ApiLimits.ofDefaults().withMaxLifetime(Duration.ofHours(1))),
                j -> j);
        Pair shortToken = open(gateway, expiringIn(Duration.ofMinutes(10)));
        assertThat(time.dueTimes()).containsExactly(START.plus(Duration.ofMinutes(10)).plusSeconds(30));
        shortToken.endBoth(1000, "");

        Pair longToken = open(gateway, expiringIn(Duration.ofHours(3)));
        assertThat(time.dueTimes()).singleElement().satisfies(due ->
                assertThat(due).isBetween(START.plus(Duration.ofMinutes(54)), START.plus(Duration.ofHours(1))));
        assertThat(gateway.pairDeadlines()).as("one timer per pair").isOne();
        time.advance(Duration.ofHours(1));
        assertThat(longToken.client().closes()).containsExactly("1001 Maximum connection lifetime reached");
        longToken.endBoth(1001, "Maximum connection lifetime reached");
        assertThat(gateway.pairDeadlines()).isZero();
        assertThat(time.pending()).isZero();
    }

    @Test
    void anApiThatOptsOutKeepsThePairOpenPastExpiry() throws Exception {
        Gateway gateway = gateway(a -> a.enforceTokenExpiry(false), j -> j);
        Pair pair = open(gateway, expiringIn(Duration.ofSeconds(60)));

        assertThat(time.pending()).isZero();
        time.advance(Duration.ofHours(1));
        assertThat(pair.client().closes()).isEmpty();
        assertThat(gateway.openPairs()).isEqualTo(1);
        pair.endBoth(1000, "");
        assertThat(gateway.openPairs()).isZero();
    }

    @Test
    void aTokenWithoutExpiryArmsNoTimer() throws Exception {
        Gateway gateway = gateway(a -> a, j -> j.requireExpiration(false));
        Pair pair = open(gateway, token(b -> b));

        assertThat(time.pending()).isZero();
        assertThat(gateway.pairDeadlines()).isZero();
        pair.endBoth(1000, "");
    }

    @Test
    void theSkewOfTheValidationThatAdmittedThePairIsHonoured() throws Exception {
        Gateway gateway = gateway(a -> a, j -> j.clockSkew(Duration.ZERO));
        Pair pair = open(gateway, expiringIn(Duration.ofSeconds(60)));

        assertThat(time.dueTimes()).containsExactly(START.plusSeconds(60));
        time.advance(Duration.ofSeconds(60));
        assertThat(pair.backend().closes()).containsExactly("1008 token expired");
        pair.endBoth(1008, "token expired");
    }

    @Test
    void noTimerOutlivesItsPairAcrossHundredsOfPairsEndingInAnyOrder() throws Exception {
        Gateway gateway = gateway();
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            pairs.add(open(gateway, expiringIn(Duration.ofSeconds(60 + i))));
        }
        assertThat(time.pending()).isEqualTo(300);
        Collections.shuffle(pairs, new Random(7));

        for (int i = 0; i < 150; i++) {
            pairs.get(i).endBoth(1000, "");
        }
        time.advance(Duration.ofHours(1)); // the 150 others expire
        for (int i = 150; i < 300; i++) {
            assertThat(pairs.get(i).client().closes()).containsExactly("1008 token expired");
            pairs.get(i).endBoth(1008, "token expired");
        }
        for (int i = 0; i < 150; i++) {
            assertThat(pairs.get(i).client().closes()).isEmpty();
        }

        assertThat(gateway.openPairs()).isZero();
        assertThat(gateway.pairDeadlines()).isZero();
        assertThat(time.pending()).isZero();
    }

    @Test
    void aHandshakeRefusedByADrainArmsNoTimer() throws Exception {
        Gateway gateway = gateway();
        gateway.drain(DrainOptions.ofDefaults());
        RecordingClientHandshake port = RecordingClientHandshake.leaving();
        gateway.handshake(upgrade(expiringIn(Duration.ofSeconds(60))), "/chat", port, ScriptedBackends.never());
        assertThat(port.awaitRejection().code()).isEqualTo("GATEWAY_DRAINING");
        assertThat(time.pending()).isZero();
    }
}
