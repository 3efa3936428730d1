package io.wsgate.jetty.internal;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BackendClientsTest {

    @Test
    void theClientForgetsABackendItNoLongerTalksTo() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(404);
                callback.succeeded();
                return true;
            }
        });
        server.start();
        WebSocketCoreClient client = BackendClients.create(null, true, Duration.ofMillis(100));
        client.start();
        try {
            HttpClient http = client.getHttpClient();
            // as after a backend handshake, whose connection leaves the pool once upgraded: none left behind
            assertThat(http.newRequest("http://127.0.0.1:" + connector.getLocalPort() + "/")
                    .headers(h -> h.put(HttpHeader.CONNECTION, "close")).send().getStatus()).isEqualTo(404);
            assertThat(http.getDestinations()).hasSize(1);

            // Jetty's sweeper looks every second: the destination goes once idle for 100 ms
            await().atMost(Duration.ofSeconds(10)).until(() -> http.getDestinations().isEmpty());
        } finally {
            client.stop();
            server.stop();
        }
    }
}
