package io.wsgate.jetty;

import io.wsgate.api.ApiDefinition;
import io.wsgate.core.GatewayConfig;
import io.wsgate.core.policy.jwt.JwtAlgorithm;
import io.wsgate.core.policy.jwt.JwtKey;
import io.wsgate.core.policy.jwt.JwtValidation;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Servlet next to an application's other servlets in an ee10 context. */
class ServletTest {

    TestBackend backend;
    Server server;
    WsGateServlet servlet;
    WebSocketCoreClient client;

    @BeforeEach
    void start() throws Exception {
        backend = new TestBackend();
        backend.chooseSubprotocol = "chosen";
        client = new WebSocketCoreClient();
        client.start();
        QueuedThreadPool threads = new QueuedThreadPool(8, 8);
        server = new Server(threads);
        // HTTP/1.1, and HTTP/2 with prior knowledge (h2c), on the one connector
        HttpConfiguration http = new HttpConfiguration();
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http),
                new HTTP2CServerConnectionFactory(http));
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/app");
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getWriter().print("hello from the app");
            }
        }), "/hello");
        GatewayConfig config = GatewayConfig.builder()
                .api(ApiDefinition.builder("echo").backend(backend.url("/backend")).urlSuffix("/echo").build(),
                        ApiDefinition.builder("gated").backend(backend.url("/gated")).urlSuffix("/gated").build(),
                        ApiDefinition.builder("guarded").backend(backend.url("/backend")).urlSuffix("/guarded")
                                .onHandshake(JwtValidation.builder().key(JwtKey.hmac(JwtAlgorithm.HS256, PolicyTestBase.SECRET))
                                        .build()).build())
                .build();
        servlet = WsGateServlet.builder(config).build();
        ServletHolder holder = new ServletHolder(servlet);
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/ws/*");
        server.setHandler(context);
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            await().atMost(Duration.ofSeconds(15)).until(() ->
                    servlet.gateway().openPairs() == 0 && servlet.gateway().pendingHandshakes() == 0);
        } finally {
            client.stop();
            server.stop();
            backend.close();
        }
    }

    private String url(String path) {
        return "ws://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + path;
    }

    @Test
    void relaysThroughTheServletNextToTheApplicationsOtherServlets() throws Exception {
        RecordingClient c = RecordingClient.connect(client, url("/app/ws/echo?x=1"), "other", "chosen");
        c.sendText("through the servlet");

        assertThat(TestBackend.text(c.nextData())).isEqualTo("through the servlet");
        assertThat(c.session.getNegotiatedSubProtocol()).isEqualTo("chosen");
        TestBackend.Seen seen = backend.handshakes.poll(10, TimeUnit.SECONDS);
        assertThat(seen.path()).isEqualTo("/backend");
        assertThat(seen.query()).isEqualTo("x=1");
        c.session.close(4000, "bye", Callback.NOOP);
        assertThat(backend.closes.poll(10, TimeUnit.SECONDS).getCode()).isEqualTo(4000);

        GatewayTestBase.RawResponse app = GatewayTestBase.raw(((ServerConnector) server.getConnectors()[0]).getLocalPort(),
                "GET /app/hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes());
        assertThat(app.status()).isEqualTo(200);
    }

    @Test
    void aClientOnHttp2IsRelayedThroughTheServletToo() throws Exception {
        WebSocketCoreClient h2 = Http2WebSocketClient.start();
        try {
            RecordingClient.echoOnce(h2, url("/app/ws/echo"), "over h2");
        } finally {
            h2.stop();
        }
    }

    @Test
    void answersErrorsThroughTheServlet() throws Exception {
        int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
        GatewayTestBase.RawResponse r = GatewayTestBase.raw(port,
                GatewayTestBase.upgradeRequest("/app/ws/none").getBytes());
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body()).contains("API_NOT_FOUND");
    }

    @Test
    void aPolicyRejectionReachesTheClientThroughTheServletWhileAValidTokenIsRelayed() throws Exception {
        int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
        GatewayTestBase.RawResponse refused = GatewayTestBase.raw(port,
                GatewayTestBase.upgradeRequest("/app/ws/guarded", "Authorization: Bearer not-a-token").getBytes());

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.header("WWW-Authenticate")).startsWith("Bearer").contains("invalid_token");
        assertThat(refused.body()).contains("\"error\":\"UNAUTHORIZED\"").containsPattern("\"requestId\":\"[^\"]+\"");
        assertThat(backend.handshakes).isEmpty();


        RecordingClient admitted = new RecordingClient();
        CoreClientUpgradeRequest withToken = CoreClientUpgradeRequest.from(client, URI.create(url("/app/ws/guarded")), admitted);
        withToken.headers(h -> h.put("Authorization", "Bearer " + PolicyTestBase.token(b -> b)));
        admitted.session = client.connect(withToken).get(10, TimeUnit.SECONDS);
        admitted.sendText("with a token");
        assertThat(TestBackend.text(admitted.nextData())).isEqualTo("with a token");
        admitted.session.close(1000, "bye", Callback.NOOP);
        assertThat(admitted.awaitClosed().getCode()).isEqualTo(1000);
    }

    @Test
    void handshakesWaitingOnTheBackendDoNotHoldContainerThreads() throws Exception {
        int n = 30;
        List<CompletableFuture<CoreSession>> sessions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sessions.add(client.connect(CoreClientUpgradeRequest.from(client, URI.create(url("/app/ws/gated")), new RecordingClient())));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> backend.gatedWaiting.get() == n);
        backend.gate.countDown();
        for (CompletableFuture<CoreSession> f : sessions) {
            f.get(20, TimeUnit.SECONDS).close(1000, "", Callback.NOOP);
        }
    }
}
