package io.wsgate.core;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.wsgate.api.ApiDefinition;
import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.api.UrlScheme;
import io.wsgate.core.policy.jwt.JwtAlgorithm;
import io.wsgate.core.policy.jwt.JwtKey;
import io.wsgate.core.policy.jwt.JwtValidation;
import io.wsgate.core.policy.jwt.TokenSource;
import io.wsgate.core.policy.network.CheckOrigin;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class DiagnoseTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    private static HandshakeRequest.Builder upgrade(String path) {
        return HandshakeRequest.builder().path(path)
                .header("Upgrade", "websocket").header("Connection", "Upgrade")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
    }

    private static Gateway gateway(HandshakePolicy... policies) {
        return Gateway.create(GatewayConfig.builder().policyTimeout(Duration.ofMillis(200))
                .api(ApiDefinition.builder("chat").backend("ws://10.1.2.3:9/secret-backend").urlSuffix("/chat")
                        .onHandshake(policies).build())
                .api(ApiDefinition.builder("tls").backend("ws://10.1.2.3:9/").urlSuffix("/tls").schemes(UrlScheme.WSS).build())
                .build());
    }

    private static JwtValidation jwt() {
        return JwtValidation.builder().key(JwtKey.hmac(JwtAlgorithm.HS256, SECRET)).name("validate-jwt")
                .tokenFrom(TokenSource.subprotocol("bearer.", "wsgate.bearer")).build();
    }

    private static String token(Instant expiresAt) {
        return JWT.create().withSubject("alice").withExpiresAt(expiresAt).sign(Algorithm.HMAC256(SECRET));
    }

    private static Diagnosis diagnose(Gateway gateway, HandshakeRequest request) throws Exception {
        Diagnosis d = gateway.diagnose(request, request.path()).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(gateway.pendingHandshakes()).isZero();
        assertThat(gateway.openPairs()).isZero();
        assertThat(gateway.pairDeadlines()).isZero();
        assertThat(d.toString()).doesNotContain("10.1.2.3", "secret-backend", SECRET);
        return d;
    }

    @Test
    void anExpiredTokenIsDiagnosedAsTheJwtPolicysRefusal() throws Exception {
        String expired = token(Instant.now().minusSeconds(3600));
        Diagnosis d = diagnose(gateway(jwt()), upgrade("/chat").subprotocols("wsgate.bearer", "bearer." + expired).build());
        assertThat(d.stage()).isEqualTo(Diagnosis.Stage.POLICY);
        assertThat(d.policy()).isEqualTo("validate-jwt");
        assertThat(d.status()).isEqualTo(401);
        assertThat(d.code()).isEqualTo("UNAUTHORIZED");
        assertThat(d.message()).as("what the client got").isEqualTo("A valid access token is required.");
        assertThat(d.notes()).as("what the client is never told").singleElement().asString().contains("expired");
        assertThat(d.api()).isEqualTo("chat");
        assertThat(d.toString()).doesNotContain(expired);
    }

    @Test
    void aValidTokenIsAdmittedWithTheMarkerAsTheAnswer() throws Exception {
        Diagnosis d = diagnose(gateway(jwt()), upgrade("/chat/room")
                .subprotocols("wsgate.bearer", "bearer." + token(Instant.now().plusSeconds(600))).build());
        assertThat(d.admitted()).isTrue();
        assertThat(d.status()).isEqualTo(101);
        assertThat(d.code()).isEqualTo(HandshakeOutcome.NO_ERROR);
        assertThat(d.subprotocol()).isEqualTo("wsgate.bearer");
        assertThat(d.policy()).isEmpty();
    }

    @Test
    void aRefusedOriginNamesCheckOrigin() throws Exception {
        Diagnosis d = diagnose(gateway(CheckOrigin.of("https://app.example")),
                upgrade("/chat").header("Origin", "http://evil.example").build());
        assertThat(d.stage()).isEqualTo(Diagnosis.Stage.POLICY);
        assertThat(d.policy()).isEqualTo(CheckOrigin.of("https://app.example").name());
        assertThat(d.status()).isEqualTo(403);
        assertThat(d.code()).isEqualTo("ORIGIN_FORBIDDEN");
    }

    @Test
    void theGatewaysOwnChecksComeFirst() throws Exception {
        Gateway gateway = gateway();
        assertThat(diagnose(gateway, upgrade("/nothing").build()))
                .extracting(Diagnosis::stage, Diagnosis::status, Diagnosis::api).containsExactly(Diagnosis.Stage.ROUTE, 404, "");
        assertThat(diagnose(gateway, HandshakeRequest.builder().path("/chat").build()))
                .extracting(Diagnosis::stage, Diagnosis::status).containsExactly(Diagnosis.Stage.UPGRADE, 426);
        assertThat(diagnose(gateway, upgrade("/tls").build()))
                .extracting(Diagnosis::stage, Diagnosis::status, Diagnosis::code)
                .containsExactly(Diagnosis.Stage.SCHEME, 403, "SCHEME_NOT_ALLOWED");
        gateway.drain(DrainOptions.ofDefaults());
        assertThat(diagnose(gateway, upgrade("/chat").build()))
                .extracting(Diagnosis::stage, Diagnosis::status).containsExactly(Diagnosis.Stage.DRAIN, 503);
    }

    @Test
    void aPolicyThatThrowsOrHangsIsAFailureByThatPolicyWithoutItsCause() throws Exception {
        HandshakePolicy throwing = new HandshakePolicy() {
            @Override
            public String name() {
                return "thrower";
            }

            @Override
            public java.util.concurrent.CompletionStage<HandshakeDecision> evaluate(io.wsgate.api.HandshakeContext c) {
                throw new IllegalStateException("password=hunter2");
            }
        };
        Diagnosis d = diagnose(gateway(throwing), upgrade("/chat").build());
        assertThat(d).extracting(Diagnosis::stage, Diagnosis::policy, Diagnosis::status, Diagnosis::code)
                .containsExactly(Diagnosis.Stage.POLICY, "thrower", 500, "POLICY_ERROR");
        assertThat(d.toString()).doesNotContain("hunter2");

        HandshakePolicy hanging = new HandshakePolicy() {
            @Override
            public String name() {
                return "hangs";
            }

            @Override
            public java.util.concurrent.CompletionStage<HandshakeDecision> evaluate(io.wsgate.api.HandshakeContext c) {
                return new CompletableFuture<>();
            }
        };
        assertThat(diagnose(gateway(hanging), upgrade("/chat").build()))
                .extracting(Diagnosis::stage, Diagnosis::status).containsExactly(Diagnosis.Stage.POLICY, 500);
    }
}
