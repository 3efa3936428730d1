package io.wsgate.examples;

import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.policy.jwt.JwtValidation;
import io.wsgate.testing.ChainOutcome;
import io.wsgate.testing.PolicyTester;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ExamplesTest {

    @Test
    void theServletAppServesItsOwnServletAndTheGatewaySideBySide() throws Exception {
        try (ServletAppExample app = ServletAppExample.start(0)) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> hello = http.send(HttpRequest.newBuilder(URI.create(app.uri() + "/hello")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(hello.body()).contains("hello from the application");

            CompletableFuture<String> got = new CompletableFuture<>();
            URI ws = URI.create("ws://127.0.0.1:" + app.uri().getPort() + "/ws/echo");
            WebSocket socket = http.newWebSocketBuilder().buildAsync(ws, new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    got.complete(data.toString());
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
            socket.sendText("through the servlet", true);
            assertThat(got.get(10, TimeUnit.SECONDS)).isEqualTo("through the servlet");
            socket.sendClose(1000, "done").get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theTenantPolicyAdmitsTheTokensTenantAndTellsTheBackend() {
        ChainOutcome outcome = PolicyTester.create()
                .withAttribute(JwtValidation.CLAIMS_ATTRIBUTE, Map.of("tenant", "acme"))
                .run(new TenantPolicy(), HandshakeRequest.builder().header("X-Tenant", "acme").build());
        assertThat(outcome).isInstanceOfSatisfying(ChainOutcome.Admitted.class, a -> {
            assertThat(a.backend().headers().first("X-Verified-Tenant")).contains("acme");
            assertThat(a.backend().headers().contains("X-Tenant")).isFalse();
        });
    }

    @Test
    void theTenantPolicyRefusesAnotherTenantWith403() {
        ChainOutcome outcome = PolicyTester.create()
                .withAttribute(JwtValidation.CLAIMS_ATTRIBUTE, Map.of("tenant", "acme"))
                .run(new TenantPolicy(), HandshakeRequest.builder().header("X-Tenant", "other").build());
        assertThat(outcome).isInstanceOfSatisfying(ChainOutcome.Rejected.class,
                r -> assertThat(r.rejection().status()).isEqualTo(403));
    }

    @Test
    void theEmbeddedExampleAdmitsAValidTokenAndRefusesAMissingOne() throws Exception {
        String secret = "a-test-secret-of-at-least-32-bytes!!";
        try (EchoBackend backend = EchoBackend.start("127.0.0.1", 0)) {
            org.eclipse.jetty.server.Server server = EmbeddedExample.start(0, backend.uri().toString(), secret);
            try {
                int port = ((org.eclipse.jetty.server.ServerConnector) server.getConnectors()[0]).getLocalPort();
                URI chat = URI.create("ws://127.0.0.1:" + port + "/chat/room1");
                HttpClient http = HttpClient.newHttpClient();
                var refused = http.newWebSocketBuilder().buildAsync(chat, new WebSocket.Listener() { });
                Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> refused.get(10, TimeUnit.SECONDS));
                assertThat(failure).hasCauseInstanceOf(java.net.http.WebSocketHandshakeException.class);
                assertThat(((java.net.http.WebSocketHandshakeException) failure.getCause()).getResponse().statusCode())
                        .isEqualTo(401);

                String token = com.auth0.jwt.JWT.create().withIssuer("https://login.example.com/")
                        .withExpiresAt(java.time.Instant.now().plusSeconds(300))
                        .sign(com.auth0.jwt.algorithms.Algorithm.HMAC256(secret));
                CompletableFuture<String> got = new CompletableFuture<>();
                WebSocket socket = http.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                        .buildAsync(chat, new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                                got.complete(data.toString());
                                return null;
                            }
                        }).get(10, TimeUnit.SECONDS);
                socket.sendText("hi", true);
                assertThat(got.get(10, TimeUnit.SECONDS)).isEqualTo("hi");
                socket.sendClose(1000, "done").get(10, TimeUnit.SECONDS);
            } finally {
                server.stop();
            }
        }
    }
}
