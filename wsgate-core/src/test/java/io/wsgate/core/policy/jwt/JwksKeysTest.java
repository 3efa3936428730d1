package io.wsgate.core.policy.jwt;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.sun.net.httpserver.HttpServer;
import io.wsgate.api.HandshakeContext;
import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.internal.policy.ChainResult;
import io.wsgate.core.policy.MutableClock;
import io.wsgate.core.policy.TestChains;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwksKeysTest {

    private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");

    private static KeyPair first;
    private static KeyPair second;

    private final MutableClock clock = new MutableClock(NOW);
    private final TestChains tester = TestChains.create();
    private final AtomicInteger fetches = new AtomicInteger();
    private volatile int status = 200;
    private volatile String body = "";
    private HttpServer server;
    private URI url;

    @BeforeAll
    static void generateKeys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        first = g.generateKeyPair();
        second = g.generateKeyPair();
    }

    @BeforeEach
    void startIssuer() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
        body = keySet(jwk("k1", first, "RS256"));
    }

    @AfterEach
    void stopIssuer() {
        server.stop(0);
    }

    private static String b64(BigInteger n) {
        byte[] bytes = n.toByteArray();
        if (bytes[0] == 0 && bytes.length > 1) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String jwk(String kid, KeyPair pair, String alg) {
        RSAPublicKey pub = (RSAPublicKey) pair.getPublic();
        return "{\"kty\":\"RSA\",\"use\":\"sig\",\"kid\":\"" + kid + "\"" + (alg.isEmpty() ? "" : ",\"alg\":\"" + alg + "\"")
                + ",\"n\":\"" + b64(pub.getModulus()) + "\",\"e\":\"" + b64(pub.getPublicExponent()) + "\"}";
    }

    private static String keySet(String... keys) {
        return "{\"keys\":[" + String.join(",", keys) + "]}";
    }

    private static String token(String kid, KeyPair pair) {
        return JWT.create().withKeyId(kid).withSubject("alice").withExpiresAt(NOW.plusSeconds(3600))
                .sign(Algorithm.RSA256((RSAPublicKey) pair.getPublic(), (RSAPrivateKey) pair.getPrivate()));
    }

    private static HandshakeRequest bearer(String token) {
        return HandshakeRequest.builder().header("Authorization", "Bearer " + token).build();
    }

    private JwksKeys.Builder keys() {
        return JwksKeys.builder(url).clock(clock).minRefetchInterval(Duration.ofSeconds(30)).cacheTtl(Duration.ofMinutes(10));
    }

    private JwtValidation policy(JwksKeys keys) {
        return JwtValidation.builder().jwks(keys).clock(clock).build();
    }

    private void assertRefused(ChainResult outcome) {
        ChainResult.Rejected r = tester.rejected(outcome);
        assertThat(r.rejection().status()).isEqualTo(401);
        assertThat(r.rejection().headers().first("WWW-Authenticate")).contains(JwtValidation.CHALLENGE);
    }

    @Test
    void admitsATokenSignedWithTheKeyItsKidNamesInTheKeySet() {
        ChainResult out = tester.run(policy(keys().build()), bearer(token("k1", first)));

        assertThat(tester.admitted(out).attributes()).containsEntry(JwtValidation.SUBJECT_ATTRIBUTE, "alice");
    }

    @Test
    void fetchesTheKeySetOnceForManyHandshakes() {
        JwtValidation policy = policy(keys().build());

        for (int i = 0; i < 5; i++) {
            tester.admitted(tester.run(policy, bearer(token("k1", first))));
        }

        assertThat(fetches).hasValue(1);
    }

    @Test
    void fetchesTheKeySetAgainOnceTheCacheTtlHasPassed() {
        JwtValidation policy = policy(keys().build());
        tester.admitted(tester.run(policy, bearer(token("k1", first))));

        clock.advance(Duration.ofMinutes(11));
        tester.admitted(tester.run(policy, bearer(token("k1", first))));

        assertThat(fetches).hasValue(2);
    }

    @Test
    void refusesAnUnknownKidWith401AndDoesNotFetchAgainWithinTheMinimumInterval() {
        JwtValidation policy = policy(keys().build());
        tester.admitted(tester.run(policy, bearer(token("k1", first))));

        assertRefused(tester.run(policy, bearer(token("made-up", second))));
        assertRefused(tester.run(policy, bearer(token("made-up-too", second))));

        assertThat(fetches).hasValue(1);
    }

    @Test
    void findsARotatedKeyByFetchingAgainAfterTheMinimumInterval() {
        JwtValidation policy = policy(keys().build());
        tester.admitted(tester.run(policy, bearer(token("k1", first))));
        body = keySet(jwk("k1", first, "RS256"), jwk("k2", second, "RS256"));

        clock.advance(Duration.ofSeconds(31));
        ChainResult out = tester.run(policy, bearer(token("k2", second)));

        tester.admitted(out);
        assertThat(fetches).hasValue(2);
    }

    @Test
    void refusesWith401WhenTheIssuerAnswersAnError() {
        status = 500;
        body = "{\"error\":\"down\"}";

        assertRefused(tester.run(policy(keys().build()), bearer(token("k1", first))));
    }

    @Test
    void refusesWith401WhenTheKeySetIsNotJson() {
        body = "<html>not a key set</html>";

        assertRefused(tester.run(policy(keys().build()), bearer(token("k1", first))));
    }

    @Test
    void refusesWith401WhenTheJwksUrlIsUnreachable() {
        JwksKeys keys = keys().fetchTimeout(Duration.ofSeconds(2)).build();
        server.stop(0);

        assertRefused(tester.run(policy(keys), bearer(token("k1", first))));
    }

    @Test
    void usesTheKeysFetchedOnceTheIssuerRecovers() {
        status = 503;
        JwtValidation policy = policy(keys().build());
        assertRefused(tester.run(policy, bearer(token("k1", first))));

        status = 200;
        clock.advance(Duration.ofSeconds(31));

        tester.admitted(tester.run(policy, bearer(token("k1", first))));
    }

    @Test
    void refusesATokenWhoseAlgorithmIsNotTheOneTheKeyDeclares() {
        String ps256 = JWT.create().withKeyId("k1").withExpiresAt(NOW.plusSeconds(3600))
                .sign(Algorithm.RSA256PSS((RSAPublicKey) first.getPublic(), (RSAPrivateKey) first.getPrivate()));

        assertRefused(tester.run(policy(keys().build()), bearer(ps256)));
    }

    @Test
    void usesAKeyWithoutAlgWithTheAllowedAlgorithmsOnly() {
        body = keySet(jwk("k1", first, ""));
        String ps256 = JWT.create().withKeyId("k1").withExpiresAt(NOW.plusSeconds(3600))
                .sign(Algorithm.RSA256PSS((RSAPublicKey) first.getPublic(), (RSAPrivateKey) first.getPrivate()));
        JwtValidation policy = policy(keys().algorithms(JwtAlgorithm.RS256).build());

        tester.admitted(tester.run(policy, bearer(token("k1", first))));
        assertRefused(tester.run(policy, bearer(ps256)));
    }

    @Test
    void refusesATokenWithoutKidWhenOnlyAKeySetIsConfigured() {
        String noKid = JWT.create().withExpiresAt(NOW.plusSeconds(3600))
                .sign(Algorithm.RSA256((RSAPublicKey) first.getPublic(), (RSAPrivateKey) first.getPrivate()));

        assertRefused(tester.run(policy(keys().build()), bearer(noKid)));
        assertThat(fetches).hasValue(0);
    }

    @Test
    void fetchesOnTheGivenExecutorAndNeverOnTheThreadThatEvaluatesTheHandshake() throws Exception {
        Queue<Runnable> tasks = new ArrayDeque<>();
        Executor queued = tasks::add;
        JwtValidation policy = policy(keys().executor(queued).build());
        HandshakeRequest request = bearer(token("k1", first));
        HandshakeContext context = new HandshakeContext("r-1", request, TestChains.TEST_API,
                tester.initialBackendRequest(request), Map.of());

        CompletableFuture<HandshakeDecision> decision = policy.evaluate(context).toCompletableFuture();

        assertThat(decision).isNotDone();
        assertThat(fetches).hasValue(0);
        tasks.remove().run();
        assertThat(decision.get(5, TimeUnit.SECONDS)).isInstanceOf(HandshakeDecision.Proceed.class);
        assertThat(policy.evaluate(context).toCompletableFuture()).isDone();
        assertThat(tasks).isEmpty();
    }

    @Test
    void prefetchLoadsTheKeySetBeforeTheFirstHandshake() throws Exception {
        JwksKeys keys = keys().build();

        keys.prefetch().toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(fetches).hasValue(1);
        assertThat(keys.find("k1", JwtAlgorithm.RS256).toCompletableFuture()).isDone();
    }

    @Test
    void refusesAUrlThatIsNotHttpAndAnHmacAlgorithm() {
        assertThatThrownBy(() -> JwksKeys.builder(URI.create("ftp://issuer.test/jwks.json")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ftp://issuer.test/jwks.json");
        assertThatThrownBy(() -> JwksKeys.builder(url).algorithms(JwtAlgorithm.HS256))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HS256");
    }
}
