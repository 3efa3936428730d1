package io.wsgate.core;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import io.wsgate.api.ApiDefinition;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.policy.jwt.JwtAlgorithm;
import io.wsgate.core.policy.jwt.JwtKey;
import io.wsgate.core.policy.jwt.JwtValidation;
import io.wsgate.core.transport.Admission;
import io.wsgate.core.transport.ErrorResponse;
import io.wsgate.core.transport.PairRelay;
import io.wsgate.core.transport.Peer;
import io.wsgate.core.transport.RecordingSide;
import io.wsgate.core.transport.SideEnd;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** Live-token enforcement: a pair admitted on a token with {@code exp} is closed with 1008 once exp + skew passes. */
class LiveTokenTest {

    private static final Instant START = Instant.parse("2030-01-01T12:00:00Z");
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
            .getBytes(StandardCharsets.UTF_8);

    private final ManualScheduler time = ManualScheduler.startingAt(START);

    /** One established pair and its two sides. */
    record Pair(PairRelay relay, RecordingSide client, RecordingSide backend) {
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

    private static Pair open(Gateway gateway, String token) throws Exception {
        HandshakeRequest request = HandshakeRequest.builder().path("/chat")
                .header("Upgrade", "websocket").header("Connection", "Upgrade")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .header("Authorization", "Bearer " + token).build();
        Exchange exchange = gateway.exchange(request, "/chat");
        assertThat(exchange.validate()).isEmpty();
        assertThat(exchange.admit().toCompletableFuture().get(5, TimeUnit.SECONDS)).isInstanceOf(Admission.Admitted.class);
        RecordingSide client = new RecordingSide();
        RecordingSide backend = new RecordingSide();
        PairRelay relay = exchange.establish("", URI.create("ws://127.0.0.1:9/"), client, backend);
        return new Pair(relay, client, backend);
    }

    @Test
    void closesBothSidesWith1008OnceExpiryPlusSkewHasPassed() throws Exception {
        Gateway gateway = gateway();
        Pair pair = open(gateway, expiringIn(Duration.ofSeconds(60)));
        assertThat(time.dueTimes()).containsExactly(START.plusSeconds(90));

        time.advance(Duration.ofSeconds(89));
        assertThat(pair.client().closes).isEmpty();
        assertThat(pair.relay().isClosed()).isFalse();
        time.advance(Duration.ofSeconds(1));

        assertThat(pair.client().closes).containsExactly("1008 token expired");
        assertThat(pair.backend().closes).containsExactly("1008 token expired");
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
        assertThat(pair.client().closes).isEmpty();
        assertThat(gateway.openPairs()).isZero();
    }

    @Test
    void aTokenThatExpiredDuringTheHandshakeClosesThePairAtOnce() throws Exception {
        Gateway gateway = gateway();
        String token = expiringIn(Duration.ofSeconds(10));
        Exchange exchange = gateway.exchange(HandshakeRequest.builder().path("/chat")
                .header("Upgrade", "websocket").header("Connection", "Upgrade")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .header("Authorization", "Bearer " + token).build(), "/chat");
        assertThat(exchange.validate()).isEmpty();
        exchange.admit().toCompletableFuture().get(5, TimeUnit.SECONDS);
        time.advance(Duration.ofSeconds(45)); // the backend took its time: exp + skew is behind us
        RecordingSide client = new RecordingSide();
        RecordingSide backend = new RecordingSide();
        PairRelay relay = exchange.establish("", URI.create("ws://127.0.0.1:9/"), client, backend);

        assertThat(time.runDue()).isEqualTo(1);
        assertThat(client.closes).containsExactly("1008 token expired");
        new Pair(relay, client, backend).endBoth(1008, "token expired");
        assertThat(gateway.openPairs()).isZero();
        assertThat(time.pending()).isZero();
    }

    @Test
    void anApiThatOptsOutKeepsThePairOpenPastExpiry() throws Exception {
        Gateway gateway = gateway(a -> a.enforceTokenExpiry(false), j -> j);
        Pair pair = open(gateway, expiringIn(Duration.ofSeconds(60)));

        assertThat(time.pending()).isZero();
        time.advance(Duration.ofHours(1));
        assertThat(pair.client().closes).isEmpty();
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
        assertThat(pair.backend().closes).containsExactly("1008 token expired");
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
            assertThat(pairs.get(i).client().closes).containsExactly("1008 token expired");
            pairs.get(i).endBoth(1008, "token expired");
        }
        for (int i = 0; i < 150; i++) {
            assertThat(pairs.get(i).client().closes).isEmpty();
        }

        assertThat(gateway.openPairs()).isZero();
        assertThat(gateway.pairDeadlines()).isZero();
        assertThat(time.pending()).isZero();
    }

    @Test
    void aPairClosedByShutdownArmsNoTimer() throws Exception {
        Gateway gateway = gateway();
        gateway.shutdown();
        Exchange exchange = gateway.exchange(HandshakeRequest.builder().path("/chat").build(), "/chat");
        assertThat(exchange.validate()).get().extracting(ErrorResponse::code).isEqualTo("GATEWAY_SHUTTING_DOWN");
        assertThat(time.pending()).isZero();
    }

    // ---- the schedulers

    @Test
    void theManualSchedulerRunsDueTasksInOrderAndForgetsCancelledOnes() {
        List<String> ran = new ArrayList<>();
        time.schedule(Duration.ofSeconds(2), () -> ran.add("b"));
        time.schedule(Duration.ofSeconds(1), () -> ran.add("a"));
        Scheduler.Task cancelled = time.schedule(Duration.ofSeconds(1), () -> ran.add("cancelled"));
        time.schedule(Duration.ofSeconds(-5), () -> ran.add("now"));
        cancelled.cancel();
        cancelled.cancel();

        assertThat(time.pending()).isEqualTo(3);
        assertThat(time.advance(Duration.ofSeconds(1))).isEqualTo(2);
        assertThat(ran).containsExactly("now", "a");
        assertThat(time.clock().instant()).isEqualTo(START.plusSeconds(1));
        time.advance(Duration.ofSeconds(5));
        assertThat(ran).containsExactly("now", "a", "b");
        assertThat(time.pending()).isZero();
    }

    @Test
    void theJdkSchedulerRunsTasksOnItsDaemonThreadAndSurvivesATaskThatThrows() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        String[] thread = new String[1];
        Scheduler.jdk().schedule(Duration.ZERO, () -> {
            throw new IllegalStateException("a failing task");
        });
        Scheduler.jdk().schedule(Duration.ofMillis(-1), () -> {
            thread[0] = Thread.currentThread().getName() + (Thread.currentThread().isDaemon() ? " daemon" : "");
            ran.countDown();
        });
        Scheduler.Task never = Scheduler.jdk().schedule(Duration.ofDays(365 * 1000), () -> {
            throw new AssertionError("must not run");
        });
        never.cancel();

        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(thread[0]).isEqualTo("wsgate-scheduler daemon");
        assertThat(GatewayConfig.builder().build().scheduler()).isSameAs(Scheduler.jdk());
    }
}
