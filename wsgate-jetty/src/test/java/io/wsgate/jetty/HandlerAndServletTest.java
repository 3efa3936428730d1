package io.wsgate.jetty;

import io.wsgate.api.ApiDefinition;
import io.wsgate.core.GatewayConfig;
import io.wsgate.core.policy.jwt.JwtAlgorithm;
import io.wsgate.core.policy.jwt.JwtKey;
import io.wsgate.core.policy.jwt.JwtValidation;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the Handler, the Servlet and the dedicated connector share, run against every {@link Mount}: three
 * real parties on loopback (a test client, the gateway's server, a backend). Every case ends with no pair
 * open and no handshake pending. What only the Servlet does (its context, its path mapping) is in {@link ServletTest}.
 */
class HandlerAndServletTest {

    TestBackend backend;
    WebSocketCoreClient client;
    Mount.Started gateway;

    @BeforeEach
    void startBackendAndClient() throws Exception {
        backend = new TestBackend();
        backend.chooseSubprotocol = "chosen";
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
            if (gateway != null) {
                gateway.server().stop();
            }
            backend.close();
        }
    }

    /** {@code /echo} and {@code /gated} without policies, {@code /guarded} behind an HS256 JWT check. */
    private void start(Mount mount) throws Exception {
        gateway = mount.start(GatewayConfig.builder()
                .api(ApiDefinition.builder("echo").backend(backend.url("/backend")).urlSuffix("/echo").build(),
                        ApiDefinition.builder("gated").backend(backend.url("/gated")).urlSuffix("/gated").build(),
                        ApiDefinition.builder("guarded").backend(backend.url("/backend")).urlSuffix("/guarded")
                                .onHandshake(JwtValidation.builder().key(JwtKey.hmac(JwtAlgorithm.HS256, PolicyTestBase.SECRET))
                                        .build()).build())
                .build());
    }

    private GatewayTestBase.RawResponse raw(String request) throws Exception {
        return GatewayTestBase.raw(gateway.port(), request.getBytes(StandardCharsets.ISO_8859_1));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mount.class)
    void relaysWithTheBackendsSubprotocolAndTheClientsQueryAndCloseCode(Mount mount) throws Exception {
        start(mount);
        RecordingClient c = RecordingClient.connect(client, gateway.url("/echo?x=1"), "other", "chosen");
        c.sendText("through the gateway");

        assertThat(TestBackend.text(c.nextData())).isEqualTo("through the gateway");
        assertThat(c.session.getNegotiatedSubProtocol()).isEqualTo("chosen");
        TestBackend.Seen seen = backend.handshakes.poll(10, TimeUnit.SECONDS);
        assertThat(seen.path()).isEqualTo("/backend");
        assertThat(seen.query()).isEqualTo("x=1");
        c.session.close(4000, "bye", Callback.NOOP);
        assertThat(backend.closes.poll(10, TimeUnit.SECONDS).getCode()).isEqualTo(4000);
    }

    /** HTTP/1.1 only on the dedicated connector. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Mount.class, names = "CONNECTOR", mode = EnumSource.Mode.EXCLUDE)
    void aClientOnHttp2ReachesAnHttp11BackendThroughTheGateway(Mount mount) throws Exception {
        start(mount);
        WebSocketCoreClient h2 = Http2WebSocketClient.start();
        try {
            RecordingClient c = RecordingClient.connect(h2, gateway.url("/echo"));
            c.sendText("over h2");
            assertThat(TestBackend.text(c.nextData())).isEqualTo("over h2");
            // larger than an HTTP/2 frame (16 KiB) and the codec's read buffer: it arrives in many reads
            String large = "h2".repeat(60_000);
            c.sendText(large);
            assertThat(TestBackend.text(c.nextData())).isEqualTo(large);
            assertThat(gateway.gateway().pairs()).singleElement()
                    .satisfies(p -> assertThat(p.request().method()).isEqualTo("GET"));
            c.session.close(1000, "bye", Callback.NOOP);
            assertThat(c.awaitClosed().getCode()).isEqualTo(1000);
            assertThat(backend.closes.poll(10, TimeUnit.SECONDS).getCode()).isEqualTo(1000);
        } finally {
            h2.stop();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mount.class)
    void noApiForThePathGives404(Mount mount) throws Exception {
        start(mount);
        GatewayTestBase.RawResponse r = raw(GatewayTestBase.upgradeRequest(gateway.path("/nothing-here")));

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body()).contains("API_NOT_FOUND");
        assertThat(backend.handshakes).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mount.class)
    void aPolicyRejectionReachesTheClientWhileAValidTokenIsRelayed(Mount mount) throws Exception {
        start(mount);
        GatewayTestBase.RawResponse refused = raw(
                GatewayTestBase.upgradeRequest(gateway.path("/guarded"), "Authorization: Bearer not-a-token"));

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.header("WWW-Authenticate")).startsWith("Bearer").contains("invalid_token");
        assertThat(refused.body()).contains("\"error\":\"UNAUTHORIZED\"").containsPattern("\"requestId\":\"[^\"]+\"");
        assertThat(backend.handshakes).isEmpty();

        RecordingClient admitted = new RecordingClient();
        CoreClientUpgradeRequest withToken = CoreClientUpgradeRequest.from(client, URI.create(gateway.url("/guarded")), admitted);
        withToken.headers(h -> h.put("Authorization", "Bearer " + PolicyTestBase.token(b -> b)));
        admitted.session = client.connect(withToken).get(10, TimeUnit.SECONDS);
        admitted.sendText("with a token");
        assertThat(TestBackend.text(admitted.nextData())).isEqualTo("with a token");
        admitted.session.close(1000, "bye", Callback.NOOP);
        assertThat(admitted.awaitClosed().getCode()).isEqualTo(1000);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mount.class)
    void manyHandshakesWaitOnASlowBackendAtOnceWithoutHoldingTheServersFewThreads(Mount mount) throws Exception {
        // more than Jetty's 64 connections to one destination: the gateway's backend client must not
        // make the 65th handshake wait for an earlier one (this test's own client gets room for them too)
        int n = 200;
        client.stop();
        client.getHttpClient().setMaxConnectionsPerDestination(n);
        client.start();
        // 8 threads: the acceptor, the selector and a few workers; 200 handshakes could never each hold one.
        start(mount);

        List<CompletableFuture<CoreSession>> sessions = new ArrayList<>();
        List<RecordingClient> handlers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RecordingClient handler = new RecordingClient();
            CoreClientUpgradeRequest req = CoreClientUpgradeRequest.from(client, URI.create(gateway.url("/gated")), handler);
            req.setSubProtocols("other", "chosen");
            handlers.add(handler);
            sessions.add(client.connect(req));
        }

        // Every handshake has reached the backend and waits there, all at once.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(backend.gatedWaiting.get()).isEqualTo(n));
        assertThat(gateway.gateway().pendingHandshakes()).isEqualTo(n);
        assertThat(sessions).noneMatch(CompletableFuture::isDone);

        backend.gate.countDown();
        for (CompletableFuture<CoreSession> f : sessions) {
            CoreSession s = f.get(20, TimeUnit.SECONDS);
            assertThat(s.getNegotiatedSubProtocol()).isEqualTo("chosen");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.gateway().openPairs() == n);
        for (CompletableFuture<CoreSession> f : sessions) {
            f.get().close(1000, "", Callback.NOOP);
        }
        for (RecordingClient h : handlers) {
            h.closed.get(10, TimeUnit.SECONDS);
        }
    }
}
