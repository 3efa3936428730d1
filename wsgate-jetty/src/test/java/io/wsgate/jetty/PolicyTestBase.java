package io.wsgate.jetty;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import io.wsgate.core.GatewayConfig;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest;
import org.junit.jupiter.api.AfterEach;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three real parties on loopback, with a gateway built from a whole {@link GatewayConfig} (policies, products,
 * limits), real signed JWTs, and helpers for handshakes with headers and for refused handshakes read off a raw
 * socket. Every test ends with no pair open, no handshake pending and no connection permit held.
 */
abstract class PolicyTestBase extends GatewayTestBase {

    static final byte[] SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
            .getBytes(StandardCharsets.UTF_8);
    static final byte[] OTHER_SECRET = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
            .getBytes(StandardCharsets.UTF_8);

    PolicyTestBase() {
    }

    PolicyTestBase(Mount mount) {
        super(mount);
    }

    @AfterEach
    void noPairNoHandshakeNoPermitRemains() {
        if (gateway == null) {
            return;
        }
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(gateway.gateway().openPairs()).as("open pairs").isZero();
            assertThat(gateway.gateway().pendingHandshakes()).as("pending handshakes").isZero();
            gateway.gateway().config().connectionLimiter()
                    .ifPresent(l -> assertThat(l.active()).as("connection permits held").isZero());
        });
    }

    /** Opens a real WebSocket through the gateway with these request headers and offered subprotocols. */
    RecordingClient connect(String pathAndQuery, Map<String, String> headers, String... subprotocols) throws Exception {
        RecordingClient handler = new RecordingClient();
        CoreClientUpgradeRequest req = CoreClientUpgradeRequest.from(client, URI.create(gw(pathAndQuery)), handler);
        req.setSubProtocols(subprotocols);
        req.headers(h -> headers.forEach(h::put));
        handler.session = client.connect(req).get(10, TimeUnit.SECONDS);
        return handler;
    }

    /** Sends one message both ways, then closes with 1000 from the client and waits for the close to come back. */
    static void echoAndClose(RecordingClient c) throws Exception {
        c.sendText("hello");
        assertThat(TestBackend.text(c.nextData())).isEqualTo("hello");
        c.session.close(1000, "bye", Callback.NOOP);
        assertThat(c.awaitClosed().getCode()).isEqualTo(1000);
    }

    /** The next handshake the backend saw, within 10 s. */
    TestBackend.Seen seen() throws InterruptedException {
        TestBackend.Seen s = backend.handshakes.poll(10, TimeUnit.SECONDS);
        assertThat(s).as("a backend handshake within 10 s").isNotNull();
        return s;
    }

    /** Asserts a refusal: status, code and request id in the JSON body, and that the backend saw nothing. */
    void assertRefused(RawResponse r, int status, String code) {
        assertThat(r.status()).as("status of " + r).isEqualTo(status);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.body()).contains("\"error\":\"" + code + "\"").containsPattern("\"requestId\":\"[^\"]+\"");
        assertThat(backend.handshakes).as("backend handshakes of a refused client").isEmpty();
    }

    /** A token signed with HS256 and {@link #SECRET}, expiring in an hour unless the customizer says otherwise. */
    static String token(UnaryOperator<JWTCreator.Builder> claims) {
        return token(Algorithm.HMAC256(SECRET), claims);
    }

    static String token(Algorithm algorithm, UnaryOperator<JWTCreator.Builder> claims) {
        JWTCreator.Builder b = JWT.create().withIssuer("https://issuer.test/").withAudience("chat")
                .withSubject("ann").withExpiresAt(Instant.now().plusSeconds(3600));
        return claims.apply(b).sign(algorithm);
    }

    static String bearer(String token) {
        return "Authorization: Bearer " + token;
    }
}
