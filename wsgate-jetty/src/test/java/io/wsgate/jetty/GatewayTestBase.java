package io.wsgate.jetty;

import io.wsgate.api.ApiDefinition;
import io.wsgate.core.Gateway;
import io.wsgate.core.GatewayConfig;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;

/**
 * Three real parties on loopback: a test client, the gateway (a Jetty server with the Handler, or as a suite
 * parameterized over {@link Mount} says: the Servlet or the dedicated connector, each at the root), a backend.
 */
abstract class GatewayTestBase {

    /** How the gateway is served: the Handler, unless a suite parameterized over the mounts says otherwise. */
    final Mount mount;
    TestBackend backend;
    Server gatewayServer;
    /** What serves the gateway; its {@link Served#gateway()} is the engine. */
    Served gateway;
    WebSocketCoreClient client;
    /** Set before starting the gateway to serve wss. */
    org.eclipse.jetty.util.ssl.SslContextFactory.Server gatewayTls;

    GatewayTestBase() {
        this(Mount.HANDLER);
    }

    GatewayTestBase(Mount mount) {
        this.mount = mount;
    }

    /** What serves the gateway: the Handler, the Servlet or the connector. */
    interface Served {
        /** @return the engine */
        Gateway gateway();
    }

    @BeforeEach
    void startBackendAndClient() throws Exception {
        backend = new TestBackend();
        client = new WebSocketCoreClient();
        client.start();
    }

    @AfterEach
    void nothingLeaksAndStop() throws Exception {
        try {
            if (gateway != null) {
                await().atMost(Duration.ofSeconds(15)).until(() ->
                        gateway.gateway().openPairs() == 0 && gateway.gateway().pendingHandshakes() == 0);
            }
        } finally {
            client.stop();
            if (gatewayServer != null) {
                gatewayServer.stop();
            }
            backend.close();
        }
    }

    void startGateway(ApiDefinition... apis) throws Exception {
        startGateway(200, b -> { }, apis);
    }

    void startGateway(int maxThreads, Consumer<GatewayBuilder<?>> customize, ApiDefinition... apis) throws Exception {
        ServerConnector connector = newGatewayServer(maxThreads);
        serve(connector, GatewayConfig.builder().api(apis).build(), null, customize);
        gatewayServer.start();
    }

    /** Starts the gateway of a whole configuration (policies, products, limits) with 200 threads. */
    void startGateway(GatewayConfig config) throws Exception {
        ServerConnector connector = newGatewayServer(200);
        serve(connector, config, null, b -> { });
        gatewayServer.start();
    }

    /** Starts the gateway of an engine already made with 200 threads. */
    void startGateway(Gateway engine) throws Exception {
        ServerConnector connector = newGatewayServer(200);
        serve(connector, null, engine, b -> { });
        gatewayServer.start();
    }

    /** @return the connector of a new (not started) {@link #gatewayServer}: plain, or TLS with {@link #gatewayTls} */
    ServerConnector newGatewayServer(int maxThreads) {
        QueuedThreadPool threads = new QueuedThreadPool(maxThreads, Math.min(8, maxThreads));
        threads.setName("gateway");
        gatewayServer = new Server(threads);
        ServerConnector connector = gatewayTls == null ? new ServerConnector(gatewayServer, 1, 1)
                : new ServerConnector(gatewayServer, 1, 1, gatewayTls);
        connector.setHost("127.0.0.1");
        gatewayServer.addConnector(connector);
        return connector;
    }

    /** Mounts the gateway (of the configuration, or the engine) at the root of the server, as {@link #mount} says. */
    void serve(ServerConnector connector, GatewayConfig config, Gateway engine, Consumer<GatewayBuilder<?>> customize) {
        gateway = mount.atRoot(gatewayServer, connector, config, engine, customize);
    }

    /** @return a raw socket to the gateway, upgraded (101 read) on {@code path} */
    Socket upgradedRawClient(String path) throws IOException {
        Socket s = new Socket("127.0.0.1", gatewayPort());
        s.setSoTimeout(10_000);
        s.getOutputStream().write(upgradeRequest(path).getBytes(StandardCharsets.ISO_8859_1));
        RawResponse r = readResponse(s.getInputStream());
        if (r.status() != 101) {
            s.close();
            throw new IOException("no upgrade: " + r.status());
        }
        return s;
    }

    int gatewayPort() {
        return ((ServerConnector) gatewayServer.getConnectors()[0]).getLocalPort();
    }

    String gw(String pathAndQuery) {
        return (gatewayTls == null ? "ws" : "wss") + "://127.0.0.1:" + gatewayPort() + pathAndQuery;
    }

    ApiDefinition.Builder api(String name, String suffix, String backendPath) {
        return ApiDefinition.builder(name).backend(backend.url(backendPath)).urlSuffix(suffix);
    }

    /** An HTTP response read off a raw socket. */
    record RawResponse(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    static String upgradeRequest(String path, String... extraHeaderLines) {
        StringBuilder s = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n");
        for (String h : extraHeaderLines) {
            s.append(h).append("\r\n");
        }
        return s.append("\r\n").toString();
    }

    RawResponse raw(String request) throws IOException {
        return raw(gatewayPort(), request.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends a raw request and reads one response (head, then a Content-Length body). */
    static RawResponse raw(int port, byte[] request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            return readResponse(s.getInputStream());
        }
    }

    static RawResponse readResponse(InputStream in) throws IOException {
        String head = readHead(in);
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            if (c > 0) {
                headers.merge(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
        }
        String body = "";
        String length = headers.get("content-length");
        if (length != null) {
            body = new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
        }
        return new RawResponse(status, headers, body);
    }

    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head.size() + " bytes: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
