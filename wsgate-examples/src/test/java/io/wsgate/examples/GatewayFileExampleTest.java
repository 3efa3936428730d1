package io.wsgate.examples;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.core.GatewayConfig;
import io.wsgate.core.file.GatewayFiles;
import io.wsgate.core.policy.ProductDefinition;
import io.wsgate.core.policy.custom.CustomAuthorizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewayFileExampleTest {

    private static Path exampleFile() throws Exception {
        return Path.of(GatewayFileExampleTest.class.getResource("/wsgate-example.yaml").toURI());
    }

    private static List<HandshakePolicy> everyPolicy(GatewayConfig config) {
        List<HandshakePolicy> all = new ArrayList<>(config.policies().global());
        for (ProductDefinition p : config.policies().products().values()) {
            all.addAll(p.policies());
        }
        for (ApiDefinition api : config.apis()) {
            all.addAll(api.policies());
            all.addAll(api.onHandshake());
        }
        return all;
    }

    @Test
    void theExampleFileLoadsAndUsesEveryBuiltInPolicy() throws Exception {
        GatewayConfig config = GatewayFiles.load(exampleFile());

        assertThat(config.name()).isEqualTo("edge-1");
        assertThat(config.apis()).extracting(ApiDefinition::name).containsExactly("chat", "market", "legacy");
        assertThat(config.policies().products()).containsOnlyKeys("gold", "trial");
        assertThat(config.connectionLimiter()).isPresent();
        List<HandshakePolicy> policies = everyPolicy(config);
        assertThat(policies).extracting(HandshakePolicy::name).contains("validate-jwt", "ip-filter", "check-origin",
                "check-header", "rate-limit-by-key", "quota-by-key", "set-header", "remove-header", "set-query-parameter",
                "remove-query-parameter", "rewrite-path", "set-backend", "return-response", "check-client-id", "cors", "base");
        assertThat(policies).anyMatch(p -> p instanceof CustomAuthorizer);
        assertThat(config.explain("chat")).contains("cors");
        assertThat(config.apis().get(1).failoverUrls()).containsExactly(URI.create("ws://127.0.0.1:9102/"));
        assertThat(config.errorResponses()).containsOnlyKeys(io.wsgate.core.error.GatewayError.API_NOT_FOUND);
        assertThat(config.errorResponses("legacy")).containsKey(io.wsgate.core.error.GatewayError.BACKEND_UNAVAILABLE);
    }

    @Test
    void theDemoServesTheApisOfItsConfigFile(@TempDir Path dir) throws Exception {
        try (EchoBackend echo = EchoBackend.start("127.0.0.1", 0)) {
            Path file = Files.writeString(dir.resolve("gateway.yaml"), """
                    apis:
                      - name: talk
                        backendUrl: "%s"
                        urlSuffix: /talk
                        onHandshake:
                          - check-client-id: { allowed: [web] }
                    """.formatted(echo.uri()));
            try (DemoGateway demo = DemoGateway.start(DemoOptions.parse("--port", "0", "--config", file.toString()))) {
                assertThat(demo.gateway().config().apis()).extracting(ApiDefinition::name).containsExactly("talk");

                CompletableFuture<String> got = new CompletableFuture<>();
                WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().header("X-Client-Id", "web")
                        .buildAsync(URI.create(demo.uri() + "/talk"), new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                                got.complete(data.toString());
                                return null;
                            }
                        }).get(10, TimeUnit.SECONDS);
                ws.sendText("hello", true);

                assertThat(got.get(10, TimeUnit.SECONDS)).isEqualTo("hello");
                ws.abort();
            }
        }
    }

    @Test
    void theDemoTakesItsLimitStoreFromTheConfigFileAndFailsClosedWhileRedisIsUnreachable(@TempDir Path dir) throws Exception {
        int nothingListens;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            nothingListens = probe.getLocalPort();
        }
        try (EchoBackend echo = EchoBackend.start("127.0.0.1", 0)) {
            Path file = Files.writeString(dir.resolve("gateway.yaml"), """
                    gateway:
                      name: demo
                      limitStore: { type: redis, uri: "redis://127.0.0.1:%d", commandTimeout: 100ms }
                      connectionLimits: { perKey: 2, key: client-ip }
                    apis:
                      - name: talk
                        backendUrl: "%s"
                        urlSuffix: /talk
                    """.formatted(nothingListens, echo.uri()));
            try (DemoGateway demo = DemoGateway.start(DemoOptions.parse("--port", "0", "--config", file.toString()))) {
                GatewayConfig config = demo.gateway().config();
                assertThat(config.limitStore().describe()).isEqualTo("redis://127.0.0.1:" + nothingListens + "/0");
                assertThat(config.connectionLimiter().orElseThrow().isShared()).isTrue();

                assertThatThrownBy(() -> HttpClient.newHttpClient().newWebSocketBuilder()
                        .buildAsync(URI.create(demo.uri() + "/talk"), new WebSocket.Listener() {
                        }).get(10, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(java.net.http.WebSocketHandshakeException.class)
                        .satisfies(e -> assertThat(((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse()
                                .statusCode()).isEqualTo(503));
                assertThat(demo.gateway().pendingHandshakes()).isZero();
            }
        }
    }

    @Test
    void aBadConfigFileEndsTheDemoWithOneLineAndStatus2(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yaml"), "apis:\n  - name: chat\n    backendUrl: http://chat/\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = DemoGateway.run(new String[] {"--port", "0", "--config", file.toString()},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        String text = err.toString(StandardCharsets.UTF_8);
        assertThat(status).isEqualTo(2);
        assertThat(text.lines()).singleElement().asString()
                .startsWith("wsgate-demo: " + file + ":3:").contains("apis[0].backendUrl");
    }

    @Test
    void aMissingConfigFileEndsTheDemoWithStatus2(@TempDir Path dir) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = DemoGateway.run(new String[] {"--port", "0", "--config", dir.resolve("none.yaml").toString()},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).singleElement().asString().contains("no such file");
    }

    @Test
    void configExcludesRoutesAndLimitOptions() {
        assertThatThrownBy(() -> DemoOptions.parse("--config", "g.yaml", "--route", "/a=ws://a:1/"))
                .isInstanceOf(DemoOptions.UsageException.class).hasMessageContaining("--route");
        assertThatThrownBy(() -> DemoOptions.parse("--config", "g.yaml", "--idle-timeout", "1m"))
                .isInstanceOf(DemoOptions.UsageException.class).hasMessageContaining("--idle-timeout");
    }
}
