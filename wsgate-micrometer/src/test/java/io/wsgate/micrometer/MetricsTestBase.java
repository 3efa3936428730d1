package io.wsgate.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wsgate.api.ApiDefinition;
import io.wsgate.core.GatewayConfig;
import io.wsgate.core.GatewayListener;
import io.wsgate.jetty.WsGateHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * Three real parties on loopback, as in wsgate-jetty's tests: a client, the gateway (a Jetty server with a
 * {@link WsGateHandler} and the metrics listener) and an echo backend; the meters in a real registry.
 */
abstract class MetricsTestBase {

    static final Duration WAIT = Duration.ofSeconds(10);

    MeterRegistry registry = new SimpleMeterRegistry();
    EchoBackend backend;
    WebSocketCoreClient client;
    Server server;
    WsGateHandler gateway;

    @BeforeEach
    void startBackendAndClient() throws Exception {
        backend = new EchoBackend();
        client = new WebSocketCoreClient();
        client.start();
    }

    @AfterEach
    void nothingLeaksAndStop() throws Exception {
        try {
            if (gateway != null) {
                await().atMost(WAIT).until(() ->
                        gateway.gateway().openPairs() == 0 && gateway.gateway().pendingHandshakes() == 0);
            }
        } finally {
            client.stop();
            if (server != null) {
                server.stop();
            }
            backend.close();
        }
    }

    void startGateway(ApiDefinition... apis) throws Exception {
        startGateway(WsGateMetrics.of(registry), apis);
    }

    void startGateway(GatewayListener listener, ApiDefinition... apis) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        gateway = WsGateHandler.builder(GatewayConfig.builder().api(apis).build()).listener(listener).build();
        server.setHandler(gateway);
        server.start();
    }

    ApiDefinition.Builder api(String name, String suffix) {
        return ApiDefinition.builder(name).backend(backend.url("/backend")).urlSuffix(suffix);
    }

    String gw(String path) {
        return "ws://127.0.0.1:" + port() + path;
    }

    private int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** Sends an upgrade request on a raw socket and returns the response's status (for refusals). */
    int upgradeStatus(String path, String... headerLines) throws IOException {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n");
        for (String h : headerLines) {
            request.append(h).append("\r\n");
        }
        request.append("\r\n");
        try (Socket s = new Socket("127.0.0.1", port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
                line.append((char) b);
            }
            return Integer.parseInt(line.toString().split(" ")[1]);
        }
    }

    RequiredSearch meter(String name, String api, String... tags) {
        return registry.get(name).tag(WsGateMetrics.TAG_API, api).tags(tags);
    }

    double count(String name, String api, String... tags) {
        return meter(name, api, tags).counter().count();
    }

    double total(String name, String api, String direction) {
        return meter(name, api, WsGateMetrics.TAG_DIRECTION, direction).functionCounter().count();
    }

    double gauge(String name, String api) {
        return meter(name, api).gauge().value();
    }
}
