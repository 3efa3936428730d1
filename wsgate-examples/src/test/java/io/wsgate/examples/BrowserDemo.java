package io.wsgate.examples;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The demo gateway the browser tests run against, from a gateway file: {@code /echo} (no policy), {@code /chat}
 * (validate-jwt, the token in a subprotocol beside the marker {@code wsgate.bearer}), {@code /legacy} (the token
 * in a subprotocol without a marker) and {@code /partner} (check-origin allowing only the page server's
 * {@code http://localhost:PORT}), all to one echo backend; and a page server whose one blank page a test loads to
 * run a plain {@code new WebSocket} from its origin ({@code localhost} allowed, {@code 127.0.0.1} refused).
 */
final class BrowserDemo implements AutoCloseable {

    static final String SECRET = "browser-tests-secret-0123456789abcdef";
    static final String MARKER = "wsgate.bearer";

    final EchoBackend echo;
    final Server pages;
    final DemoGateway demo;

    private BrowserDemo(EchoBackend echo, Server pages, DemoGateway demo) {
        this.echo = echo;
        this.pages = pages;
        this.demo = demo;
    }

    /**
     * @param dir   where the gateway file is written
     * @param extra more demo options (e.g. TLS)
     * @param env   the demo's environment
     */
    static BrowserDemo start(Path dir, List<String> extra, UnaryOperator<String> env) throws Exception {
        EchoBackend echo = EchoBackend.start("127.0.0.1", 0);
        Server pages = new Server();
        ServerConnector connector = new ServerConnector(pages, 1, 1);
        connector.setHost("127.0.0.1");
        pages.addConnector(connector);
        pages.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                                  Callback callback) {
                response.getHeaders().put("Content-Type", "text/html; charset=utf-8");
                response.write(true, ByteBuffer.wrap("<!DOCTYPE html><title>plain page</title><p>plain page</p>"
                        .getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        pages.start();
        String backend = echo.uri().toString();
        Path file = dir.resolve("browser-gateway.yaml");
        Files.writeString(file, """
                gateway:
                  name: browser-demo
                apis:
                  - name: echo
                    displayName: Echo
                    backendUrl: %1$s
                    urlSuffix: /echo
                  - name: chat
                    displayName: Chat (JWT in a subprotocol)
                    backendUrl: %1$s
                    urlSuffix: /chat
                    onHandshake:
                      - validate-jwt:
                          keys: [{ algorithm: HS256, secret: "%2$s" }]
                          tokenFrom: [authorization-header, { subprotocol: "bearer.", marker: %3$s }]
                  - name: legacy
                    displayName: Legacy (JWT in a subprotocol, no marker)
                    backendUrl: %1$s
                    urlSuffix: /legacy
                    onHandshake:
                      - validate-jwt:
                          keys: [{ algorithm: HS256, secret: "%2$s" }]
                          tokenFrom: [{ subprotocol: "bearer." }]
                  - name: partner
                    displayName: Partner (origin-checked)
                    backendUrl: %1$s
                    urlSuffix: /partner
                    onHandshake:
                      - check-origin: { allow: ["http://localhost:%4$d"] }
                """.formatted(backend, SECRET, MARKER, connector.getLocalPort()));
        List<String> args = new ArrayList<>(List.of("--port", "0", "--console", "--config", file.toString()));
        args.addAll(extra);
        DemoGateway demo = DemoGateway.start(DemoOptions.parse(args.toArray(String[]::new)), env);
        return new BrowserDemo(echo, pages, demo);
    }

    /** @return the page server's blank page at {@code host} (localhost is allowed by /partner, 127.0.0.1 is not) */
    String page(String host) {
        return "http://" + host + ":" + ((ServerConnector) pages.getConnectors()[0]).getLocalPort() + "/plain.html";
    }

    /** @return the gateway's base URI, ws:// or wss:// */
    URI gateway() {
        return demo.uri();
    }

    static String token(Instant expiresAt) {
        return JWT.create().withSubject("alice").withExpiresAt(expiresAt).sign(Algorithm.HMAC256(SECRET));
    }

    @Override
    public void close() throws Exception {
        try {
            demo.stop();
        } finally {
            pages.stop();
            echo.close();
        }
    }
}
