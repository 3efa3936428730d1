package io.wsgate.examples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DemoGatewayTest {

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = DemoGateway.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** @return the echo of one text message sent on a new WebSocket to {@code uri} */
    static String echo(URI uri, String text) throws Exception {
        CompletableFuture<String> got = new CompletableFuture<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                got.complete(data.toString());
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        ws.sendText(text, true);
        String answer = got.get(10, TimeUnit.SECONDS);
        ws.sendClose(1000, "done").get(10, TimeUnit.SECONDS);
        return answer;
    }

    @Test
    void answersHelpWithTheUsage() {
        Run r = run("--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Usage: java -jar wsgate-demo.jar").contains("--route SUFFIX=BACKEND_URL");
    }

    @Test
    void refusesAnUnknownOrMalformedOptionWithOneLineAndStatus2() {
        for (String[] args : new String[][] {
            {"--bogus"}, {"--port", "x"}, {"--port", "70000"}, {"--port"}, {"--route", "/a"},
            {"--route", "/a=http://x/"}, {"--max-message-size", "0"}, {"--idle-timeout", "soon"},
            {"--handshake-timeout", "0s"}, {"--route", "/a=ws://h/", "--route", "/a=ws://h/"},
            {"--drain-timeout", "0s"}, {"--drain-window", "-1s"}, {"--drain-window", "later"},
            {"--config", "g.yaml", "--drain-timeout", "5s"}, {"--tls-keystore", "k.p12"},
            {"--tls-password-env", "PW"}, {"--tls-keystore", "k.p12", "--tls-password-env", "WSGATE_NO_SUCH_VARIABLE_SET"},
            {"--connector", "fast"}, {"--connector"}, {"--connector", "dedicated", "--console"}}) {
            Run r = run(args);
            assertThat(r.status()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err().strip()).as(String.join(" ", args)).startsWith("wsgate-demo: ").doesNotContain("\n");
        }
    }

    @Test
    void theKeyStoresPasswordComesFromTheNamedVariableNeverTheCommandLine() throws Exception {
        DemoOptions o = DemoOptions.parse("--tls-keystore", "k.p12", "--tls-password-env", "PW", "--console");
        assertThat(o.tls()).hasValue(java.nio.file.Path.of("k.p12"));
        assertThat(o.console()).isTrue();
        assertThat(o.tlsPassword(name -> name.equals("PW") ? "secret" : null)).isEqualTo("secret");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> o.tlsPassword(name -> null))
                .isInstanceOf(DemoOptions.UsageException.class).hasMessage("--tls-password-env: environment variable 'PW' is not set");
        assertThat(DemoOptions.USAGE).contains("--console", "--tls-keystore FILE", "--tls-password-env VAR");
    }

    @Test
    void servesTheConsoleOnTheGatewaysPortWhenAsked() throws Exception {
        try (DemoGateway demo = DemoGateway.start(DemoOptions.parse("--port", "0", "--console"))) {
            URI page = demo.consoleUri().orElseThrow();
            assertThat(page.toString()).isEqualTo("http://127.0.0.1:" + demo.uri().getPort() + "/console/");
            var http = java.net.http.HttpClient.newHttpClient();
            var apis = http.send(java.net.http.HttpRequest.newBuilder(page.resolve("apis")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(apis.body()).contains("\"urlSuffix\":\"/echo\"");
            assertThat(echo(URI.create(demo.uri() + "/echo"), "beside the console")).isEqualTo("beside the console");
        }
        try (DemoGateway demo = DemoGateway.start(DemoOptions.parse("--port", "0"))) {
            assertThat(demo.consoleUri()).isEmpty();
        }
    }

    @Test
    void readsEveryOption() throws Exception {
        DemoOptions o = DemoOptions.parse("--port=0", "--route", "/a=ws://h:1/x", "--route=/b=wss://h:2/",
                "--max-message-size", "2048", "--handshake-timeout", "3s", "--idle-timeout", "5m");
        assertThat(o.port()).isZero();
        assertThat(o.routes()).containsOnlyKeys("/a", "/b");
        assertThat(o.limits().maxMessageSize()).isEqualTo(2048);
        assertThat(o.limits().handshakeTimeout()).hasSeconds(3);
        assertThat(o.limits().idleTimeout()).hasMinutes(5);
        assertThat(o.connector()).as("the default: the faster path").isEqualTo(DemoOptions.Connector.DEDICATED);
        assertThat(DemoOptions.parse("--console").connector()).as("the console needs the Handler")
                .isEqualTo(DemoOptions.Connector.HANDLER);
        assertThat(DemoOptions.parse("--connector", "dedicated").connector()).isEqualTo(DemoOptions.Connector.DEDICATED);
        assertThat(DemoOptions.parse("--connector=handler").connector()).isEqualTo(DemoOptions.Connector.HANDLER);
        assertThat(DemoOptions.USAGE).contains("--connector handler|dedicated");
    }

    @Test
    void servesTheGatewayOnTheDedicatedConnectorWhenAskedAndDrainsItOnStop() throws Exception {
        DemoGateway demo = DemoGateway.start(DemoOptions.parse("--port", "0", "--connector", "dedicated"));
        try {
            assertThat(echo(URI.create(demo.uri() + "/echo"), "dedicated")).isEqualTo("dedicated");
            HttpResponse<String> plain = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http" + demo.uri().toString().substring(2) + "/echo")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(plain.statusCode()).isEqualTo(426);
            assertThat(plain.body()).contains("UPGRADE_REQUIRED");
            org.assertj.core.api.Assertions.assertThatThrownBy(demo::handler).isInstanceOf(IllegalStateException.class);
            await().atMost(10, TimeUnit.SECONDS).until(() -> demo.gateway().openPairs() == 0);

            CompletableFuture<Integer> closed = new CompletableFuture<>();
            HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(demo.uri() + "/echo"), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                    closed.complete(statusCode);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
            await().atMost(10, TimeUnit.SECONDS).until(() -> demo.gateway().openPairs() == 1);
            assertThat(DemoGateway.drainedLine(demo.stop())).startsWith("wsgate drained: 1 pairs, 1 closed, 0 aborted");
            assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(1001);
        } finally {
            demo.stop();
        }
    }

    @Test
    void startsAnEchoBackendAndRoutesEchoToIt() throws Exception {
        try (DemoGateway demo = DemoGateway.start(DemoOptions.parse("--port", "0"))) {
            assertThat(echo(URI.create(demo.uri() + "/echo"), "hello")).isEqualTo("hello");
            await().atMost(10, TimeUnit.SECONDS).until(() -> demo.gateway().openPairs() == 0);
        }
    }

    @Test
    void routesToTheBackendsGivenWithoutStartingItsOwn() throws Exception {
        try (EchoBackend backend = EchoBackend.start("127.0.0.1", 0);
             DemoGateway demo = DemoGateway.start(DemoOptions.parse("--port", "0", "--route", "/chat/v1=" + backend.uri()))) {
            assertThat(demo.gateway().config().apis()).singleElement()
                    .satisfies(api -> assertThat(api.name()).isEqualTo("chat.v1"));
            assertThat(echo(URI.create(demo.uri() + "/chat/v1"), "via route")).isEqualTo("via route");
        }
    }

    @Test
    void servesTheAdminEndpointWithPrometheusMetricsOnLoopbackWhenAsked() throws Exception {
        try (DemoGateway demo = DemoGateway.start(DemoOptions.parse("--port", "0", "--admin-port", "0"))) {
            URI admin = demo.adminUri().orElseThrow();
            assertThat(admin.getHost()).isEqualTo("127.0.0.1");
            assertThat(echo(URI.create(demo.uri() + "/echo"), "metered")).isEqualTo("metered");
            await().atMost(10, TimeUnit.SECONDS).until(() -> demo.gateway().openPairs() == 0);
            HttpClient http = HttpClient.newHttpClient();

            String health = http.send(HttpRequest.newBuilder(admin.resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            String metrics = http.send(HttpRequest.newBuilder(admin.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();

            assertThat(health).startsWith("{\"status\":\"UP\"");
            assertThat(metrics).contains("wsgate_handshakes_total{api=\"echo\",error=\"none\",outcome=\"accepted\",status=\"101\"} 1.0")
                    .contains("wsgate_messages_total{api=\"echo\",direction=\"inbound\"} 1.0")
                    .contains("wsgate_pairs_active{api=\"echo\"} 0.0");
        }
        Run noAdmin = run("--admin-port", "x");
        assertThat(noAdmin.err()).contains("--admin-port must be 0 to 65535");
    }

    @Test
    void readsTheDrainOptionsWithTheirDefaults() throws Exception {
        assertThat(DemoOptions.parse().drain()).isEqualTo(io.wsgate.core.DrainOptions.ofDefaults());
        DemoOptions o = DemoOptions.parse("--drain-timeout", "500ms", "--drain-window=2m");
        assertThat(o.drain().timeout()).hasMillis(500);
        assertThat(o.drain().window()).hasMinutes(2);
        assertThat(DemoOptions.parse("--drain-window", "0").drain().window()).isZero();
        assertThat(DemoOptions.USAGE).contains("--drain-timeout DURATION").contains("--drain-window DURATION");
    }

    @Test
    void stoppingDrainsEveryPairWith1001AndSaysHowItWent() throws Exception {
        DemoGateway demo = DemoGateway.start(DemoOptions.parse("--port", "0", "--drain-timeout", "10s"));
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(demo.uri() + "/echo"), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        await().atMost(10, TimeUnit.SECONDS).until(() -> demo.gateway().openPairs() == 1);

        String line = DemoGateway.drainedLine(demo.stop());

        assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(1001);
        assertThat(line).startsWith("wsgate drained: 1 pairs, 1 closed, 0 aborted, in ").endsWith(" s");
        assertThat(demo.gateway().openPairs()).isZero();
    }

    @Test
    void aGatewayFromConfigIsReloadedByTheAdminEndpoint(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("gateway.yaml");
        String one = "apis:\n  - name: one\n    backendUrl: ws://127.0.0.1:9/\n    urlSuffix: /one\n";
        java.nio.file.Files.writeString(file, one);
        try (DemoGateway demo = DemoGateway.start(DemoOptions.parse("--port", "0", "--admin-port", "0", "--config", file.toString()))) {
            java.nio.file.Files.writeString(file, one + "  - name: two\n    backendUrl: ws://127.0.0.1:9/\n    urlSuffix: /two\n");
            HttpResponse<String> reload = HttpClient.newHttpClient().send(HttpRequest.newBuilder(demo.adminUri().orElseThrow()
                    .resolve("/reload")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
            assertThat(reload.body()).matches("\\{\"outcome\":\"(applied|unchanged)\".*"); // the watcher may have been first
            assertThat(demo.gateway().route("/two")).isPresent();
        }
    }
}
