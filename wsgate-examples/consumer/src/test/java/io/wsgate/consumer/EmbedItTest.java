package io.wsgate.consumer;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's gateway, built from the published artifacts, relays one text echo and closes cleanly. */
class EmbedItTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final long WAIT_SECONDS = 10;

    @Test
    void relaysOneEchoThroughTheEmbeddedGatewayAndClosesCleanly() throws Exception {
        try (EchoBackend backend = new EchoBackend()) {
            Server gateway = EmbedIt.start(0, backend.url(), SECRET);
            try {
                int port = ((ServerConnector) gateway.getConnectors()[0]).getLocalPort();
                String token = JWT.create().withIssuer("https://login.example.com/")
                        .withExpiresAt(Instant.now().plusSeconds(300))
                        .sign(Algorithm.HMAC256(SECRET));
                Client client = new Client();

                WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                        .header("Authorization", "Bearer " + token)
                        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/chat/room1"), client)
                        .get(WAIT_SECONDS, TimeUnit.SECONDS);
                socket.sendText("hello through wsgate", true).get(WAIT_SECONDS, TimeUnit.SECONDS);

                assertThat(client.text.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("hello through wsgate");

                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(WAIT_SECONDS, TimeUnit.SECONDS);
                assertThat(client.closeCode.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
                assertThat(client.error).isNotDone();
            } finally {
                gateway.stop();
            }
        }
    }

    @Test
    void theClassPathHoldsOneJacksonVersion() throws IOException {
        // jackson-dataformat-yaml (wsgate-core) and java-jwt ask for different patch releases; wsgate-bom aligns them.
        List<String> versions = new ArrayList<>();
        for (String artifact : List.of("com.fasterxml.jackson.core/jackson-core", "com.fasterxml.jackson.core/jackson-databind",
                "com.fasterxml.jackson.dataformat/jackson-dataformat-yaml")) {
            List<URL> found = Collections.list(getClass().getClassLoader().getResources("META-INF/maven/" + artifact + "/pom.properties"));
            assertThat(found).as(artifact).hasSize(1);
            try (InputStream in = found.get(0).openStream()) {
                Properties p = new Properties();
                p.load(in);
                versions.add(p.getProperty("version"));
            }
        }
        assertThat(versions).as("jackson-core, -databind, -dataformat-yaml").containsOnly(versions.get(0));
    }

    @Test
    void aHandlerOnlyApplicationNeedsNeitherTheServletJarsNorJwksRsa() {
        ClassLoader loader = getClass().getClassLoader();
        assertThat(loader.getResource("org/eclipse/jetty/ee10/servlet/ServletContextHandler.class")).isNull();
        assertThat(loader.getResource("com/auth0/jwk/UrlJwkProvider.class")).isNull();
    }

    /** Collects one text message and the close. */
    private static final class Client implements WebSocket.Listener {
        final CompletableFuture<String> text = new CompletableFuture<>();
        final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        final CompletableFuture<Throwable> error = new CompletableFuture<>();
        private final StringBuilder parts = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            parts.append(data);
            if (last) {
                text.complete(parts.toString());
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable failure) {
            error.complete(failure);
            text.completeExceptionally(failure);
            closeCode.completeExceptionally(failure);
        }
    }
}
