package io.wsgate.redis;

import io.wsgate.core.GatewayConfig;
import io.wsgate.core.GatewayListener;
import io.wsgate.core.file.GatewayFiles;
import io.wsgate.core.store.LimitStoreFailure;
import io.wsgate.jetty.WsGateHandler;
import io.wsgate.testing.ManualScheduler;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;

/**
 * Real parties on loopback: a real redis-server of the test's own, an echo backend, and gateways (Jetty servers
 * with a {@link WsGateHandler}) loaded from a gateway file whose {@code limitStore} is that Redis, each with a store
 * (a Redis client) of its own. Every gateway ends with no pair, no pending handshake and no permit held.
 */
abstract class RedisTestBase {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    RedisServer redis;
    EchoBackend backend;
    WebSocketCoreClient client;
    final List<Gw> gateways = new ArrayList<>();

    /** One running gateway: its server, its handler, the failures its listener heard. */
    record Gw(Server server, WsGateHandler handler, List<LimitStoreFailure> failures) {
        int port() {
            return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
        }

        String url(String path) {
            return "ws://127.0.0.1:" + port() + path;
        }

        GatewayConfig config() {
            return handler.gateway().config();
        }

        void stop() throws Exception {
            server.stop();
            config().limitStore().close();
        }
    }

    /** An HTTP answer to an upgrade request. */
    record Answer(int status, String body) {
    }

    @BeforeEach
    void startRedisBackendAndClient() throws Exception {
        redis = RedisServer.start();
        backend = new EchoBackend();
        client = new WebSocketCoreClient();
        client.start();
    }

    @AfterEach
    void nothingLeaksAndStop() throws Exception {
        try {
            for (Gw g : gateways) {
                await().atMost(WAIT).until(() -> g.handler().gateway().openPairs() == 0
                        && g.handler().gateway().pendingHandshakes() == 0
                        && g.config().connectionLimiter().map(l -> l.active() == 0).orElse(true));
            }
        } finally {
            for (Gw g : gateways) {
                if (g.server().isRunning()) {
                    g.stop();
                }
            }
            client.stop();
            backend.close();
            redis.close();
        }
    }

    /**
     * @param gatewaySection the lines under {@code gateway:} besides its name and limit store, indented by 2
     * @param storeExtra     more lines of {@code limitStore}, indented by 4
     */
    String yaml(String gatewaySection, String storeExtra) {
        return "gateway:\n"
                + "  name: edge\n"
                + "  limitStore:\n"
                + "    type: redis\n"
                + "    uri: " + redis.uri() + "\n"
                // a timeout the tests' own load cannot reach, unless a test sets one (the 200 ms default is for production)
                + (storeExtra.contains("commandTimeout") ? storeExtra : storeExtra + "    commandTimeout: 2s\n")
                + gatewaySection
                + "apis:\n"
                + "  - name: echo\n"
                + "    backendUrl: " + backend.url("/backend") + "\n"
                + "    urlSuffix: /echo\n";
    }

    Gw startGateway(String yaml) throws Exception {
        return startGateway(yaml, null);
    }

    /** Starts a gateway loaded from that file, on the scheduler and clock given (else the system's). */
    Gw startGateway(String yaml, ManualScheduler scheduler) throws Exception {
        var loader = GatewayFiles.loader();
        if (scheduler != null) {
            loader = loader.withClock(scheduler.clock());
        }
        GatewayConfig config = loader.parse(yaml, "gateway.yaml");
        if (scheduler != null) {
            config = config.toBuilder().scheduler(scheduler).build();
        }
        List<LimitStoreFailure> failures = new CopyOnWriteArrayList<>();
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        WsGateHandler handler = WsGateHandler.builder(config).listener(new GatewayListener() {
            @Override
            public void limitStoreFailed(LimitStoreFailure failure) {
                failures.add(failure);
            }
        }).build();
        server.setHandler(handler);
        server.start();
        Gw gw = new Gw(server, handler, failures);
        gateways.add(gw);
        return gw;
    }

    /** Sends an upgrade request on a raw socket and reads the answer (for refusals); the socket is closed after. */
    static Answer upgrade(Gw gw, String path, String... headerLines) throws IOException {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n");
        for (String h : headerLines) {
            request.append(h).append("\r\n");
        }
        request.append("\r\n");
        try (Socket s = new Socket("127.0.0.1", gw.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String status = line(in);
            int code = Integer.parseInt(status.split(" ")[1]);
            int length = 0;
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                if (h.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(h.substring(15).trim());
                }
            }
            byte[] body = in.readNBytes(length);
            return new Answer(code, new String(body, StandardCharsets.UTF_8));
        }
    }

    /** Sends an upgrade request on a raw socket and reads the 101; the pair lives until the socket is closed. */
    static Socket openRaw(Gw gw, String path, String... headerLines) throws IOException {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n");
        for (String h : headerLines) {
            request.append(h).append("\r\n");
        }
        request.append("\r\n");
        Socket s = new Socket("127.0.0.1", gw.port());
        s.setSoTimeout(10_000);
        s.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = s.getInputStream();
        String status = line(in);
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            // headers
        }
        if (!status.contains(" 101 ")) {
            s.close();
            throw new IOException("not upgraded: " + status);
        }
        return s;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
