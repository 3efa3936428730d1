package io.wsgate.jetty;

import io.wsgate.api.ApiDefinition;
import io.wsgate.core.GatewayConfig;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What only the Servlet does: it shares an ee10 context with the application's other servlets, and the
 * gateway sees the path below its own mapping. What it shares with the Handler is in {@link HandlerAndServletTest}.
 */
class ServletTest {

    TestBackend backend;
    Mount.Started gateway;
    WebSocketCoreClient client;

    @BeforeEach
    void start() throws Exception {
        backend = new TestBackend();
        client = new WebSocketCoreClient();
        client.start();
        gateway = Mount.SERVLET.start(GatewayConfig.builder()
                .api(ApiDefinition.builder("echo").backend(backend.url("/backend")).urlSuffix("/echo").build())
                .build());
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (gateway != null) {
                await().atMost(Duration.ofSeconds(15)).until(() ->
                        gateway.gateway().openPairs() == 0 && gateway.gateway().pendingHandshakes() == 0);
            }
        } finally {
            client.stop();
            if (gateway != null) {
                gateway.server().stop();
            }
            backend.close();
        }
    }

    @Test
    void relaysBelowItsMappingNextToTheApplicationsOtherServlets() throws Exception {
        RecordingClient c = RecordingClient.connect(client, "ws://127.0.0.1:" + gateway.port() + "/app/ws/echo/room?x=1");
        c.sendText("through the servlet");

        assertThat(TestBackend.text(c.nextData())).isEqualTo("through the servlet");
        TestBackend.Seen seen = backend.handshakes.poll(10, TimeUnit.SECONDS);
        assertThat(seen.path()).as("the context path and the servlet's mapping are not the API's").isEqualTo("/backend/room");
        assertThat(seen.query()).isEqualTo("x=1");

        // the application's own servlet in the same context answers while the pair is open
        GatewayTestBase.RawResponse app = GatewayTestBase.raw(gateway.port(),
                "GET /app/hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(app.status()).isEqualTo(200);
        assertThat(app.body()).isEqualTo("hello from the app");

        c.session.close(1000, "bye", Callback.NOOP);
        assertThat(c.awaitClosed().getCode()).isEqualTo(1000);
    }
}
