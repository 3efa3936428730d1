package io.wsgate.jetty;

import io.wsgate.api.ApiDefinition;
import io.wsgate.core.DrainOptions;
import io.wsgate.core.DrainResult;
import io.wsgate.core.Gateway;
import io.wsgate.core.GatewayConfig;
import io.wsgate.core.Scheduler;
import io.wsgate.core.policy.limit.ConnectionLimiter;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping the Jetty server a gateway is mounted on drains it, through the Handler, the Servlet and the connector:
 * every peer gets the drain's close code while the connections are still open, handshakes meanwhile get 503,
 * a peer that never answers is aborted at the timeout, and nothing is left.
 */
class DrainOnStopTest {

    TestBackend backend;
    WebSocketCoreClient client;
    Mount.Started gateway;
    final ConnectionLimiter limiter = ConnectionLimiter.builder().perGateway(100).build();
    final CountingScheduler timers = new CountingScheduler();

    @BeforeEach
    void startBackendAndClient() throws Exception {
        backend = new TestBackend();
        client = new WebSocketCoreClient();
        client.start();
    }

    @AfterEach
    void stop() throws Exception {
        client.stop();
        if (gateway != null) {
            gateway.server().stop();
        }
        backend.close();
    }

    private void start(Mount mount, DrainOptions drain) throws Exception {
        gateway = mount.start(GatewayConfig.builder().scheduler(timers).connectionLimits(limiter).drain(drain)
                .api(ApiDefinition.builder("echo").backend(backend.url("/backend")).urlSuffix("/echo").build())
                .build());
    }

    /** Stops the server on another thread: the stop blocks while the gateway drains. */
    private CompletableFuture<Void> stopServer() {
        return CompletableFuture.runAsync(() -> {
            try {
                gateway.server().stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private DrainResult result() {
        return gateway.gateway().drain(DrainOptions.ofDefaults()).toCompletableFuture().getNow(null);
    }

    private void nothingLeft() {
        Gateway g = gateway.gateway();
        assertThat(g.openPairs()).isZero();
        assertThat(g.pendingHandshakes()).isZero();
        assertThat(g.pairDeadlines()).isZero();
        assertThat(limiter.active()).isZero();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(timers.pending()).isZero());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mount.class)
    void stoppingTheServerClosesEveryPairWithTheDrainsCodeOnBothSides(Mount mount) throws Exception {
        start(mount, DrainOptions.ofDefaults().withClose(1012, "service restart").withTimeout(Duration.ofSeconds(20)));
        List<RecordingClient> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clients.add(RecordingClient.connect(client, gateway.url("/echo")));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.gateway().openPairs() == 3);

        CompletableFuture<Void> stopped = stopServer();

        for (RecordingClient c : clients) {
            CloseStatus got = c.awaitClosed();
            assertThat(got.getCode()).isEqualTo(1012);
            assertThat(got.getReason()).isEqualTo("service restart");
        }
        for (int i = 0; i < 3; i++) {
            CloseStatus got = backend.closes.poll(10, TimeUnit.SECONDS);
            assertThat(got).isNotNull();
            assertThat(got.getCode()).isEqualTo(1012);
        }
        stopped.get(20, TimeUnit.SECONDS);
        DrainResult r = result();
        assertThat(r.pairsAtStart()).isEqualTo(3);
        assertThat(r.closed()).isEqualTo(3);
        assertThat(r.aborted()).isZero();
        nothingLeft();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Mount.class)
    void aPeerThatNeverAnswersIsAbortedAtTheTimeoutAndHandshakesMeanwhileGet503(Mount mount) throws Exception {
        // shorter than the close handshake's own 5 s deadline: the drain's timeout is what ends the silent peer
        Duration timeout = Duration.ofSeconds(3);
        start(mount, DrainOptions.ofDefaults().withTimeout(timeout).withRetryAfter(Duration.ofSeconds(9)));
        RecordingClient polite = RecordingClient.connect(client, gateway.url("/echo"));
        try (Socket silent = upgraded(gateway.path("/echo"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> gateway.gateway().openPairs() == 2);

            CompletableFuture<Void> stopped = stopServer();

            assertThat(RawFrames.readUntilClose(silent.getInputStream()).closeCode()).isEqualTo(1001);
            assertThat(polite.awaitClosed().getCode()).isEqualTo(1001);
            // the silent peer holds the drain open: the server still answers, and refuses
            try (Socket late = new Socket("127.0.0.1", gateway.port())) {
                late.setSoTimeout(10_000);
                late.getOutputStream().write(GatewayTestBase.upgradeRequest(gateway.path("/echo"))
                        .getBytes(StandardCharsets.ISO_8859_1));
                GatewayTestBase.RawResponse refused = GatewayTestBase.readResponse(late.getInputStream());
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.body()).contains("\"error\":\"GATEWAY_DRAINING\"");
                assertThat(refused.header("Retry-After")).isEqualTo("9");
                assertThat(refused.header("Connection")).isEqualTo("close");
                assertThat(endOfStream(late.getInputStream())).as("the connection is closed after the 503").isTrue();
            }
            assertThat(stopped).isNotDone();

            stopped.get(timeout.plusSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
            assertThat(endOfStream(silent.getInputStream())).as("the silent peer was dropped").isTrue();
        }
        for (int i = 0; i < 2; i++) {
            CloseStatus got = backend.closes.poll(10, TimeUnit.SECONDS);
            assertThat(got).isNotNull();
            assertThat(got.getCode()).isEqualTo(1001);
        }
        DrainResult r = result();
        assertThat(r.pairsAtStart()).isEqualTo(2);
        assertThat(r.closed()).isEqualTo(1);
        assertThat(r.aborted()).isEqualTo(1);
        assertThat(r.took()).isGreaterThanOrEqualTo(timeout).isLessThan(Duration.ofSeconds(5));
        nothingLeft();
    }

    @Test
    void stoppingTheHandlerAloneDrainsWithTheBuildersOptionsOverTheConfigurations() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        WsGateHandler handler = WsGateHandler.builder(GatewayConfig.builder().scheduler(timers)
                        .drain(DrainOptions.ofDefaults().withClose(4001, "from the file"))
                        .api(ApiDefinition.builder("echo").backend(backend.url("/backend")).urlSuffix("/echo").build()).build())
                .drain(DrainOptions.ofDefaults().withClose(4000, "from the builder")).build();
        server.setHandler(handler);
        server.start();
        try {
            RecordingClient c = RecordingClient.connect(client, "ws://127.0.0.1:" + connector.getLocalPort() + "/echo");
            await().atMost(Duration.ofSeconds(10)).until(() -> handler.gateway().openPairs() == 1);

            handler.stop();

            assertThat(c.awaitClosed().getCode()).isEqualTo(4000);
            assertThat(backend.closes.poll(10, TimeUnit.SECONDS).getReason()).isEqualTo("from the builder");
            assertThat(handler.gateway().isDraining()).isTrue();
            assertThat(handler.gateway().openPairs()).isZero();
            assertThat(handler.gateway().pendingHandshakes()).isZero();
        } finally {
            server.stop();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(timers.pending()).isZero());
    }

    /** A client on a raw socket, upgraded, that will never answer a close frame. */
    private Socket upgraded(String path) throws IOException {
        Socket s = new Socket("127.0.0.1", gateway.port());
        s.setSoTimeout(10_000);
        s.getOutputStream().write(GatewayTestBase.upgradeRequest(path).getBytes(StandardCharsets.ISO_8859_1));
        assertThat(GatewayTestBase.readResponse(s.getInputStream()).status()).isEqualTo(101);
        return s;
    }

    private static boolean endOfStream(InputStream in) throws IOException {
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketException reset) {
            return true;
        }
    }

    /** The JDK scheduler, counting the tasks neither run nor cancelled. */
    static final class CountingScheduler implements Scheduler {
        private final AtomicInteger pending = new AtomicInteger();

        @Override
        public Task schedule(Duration delay, Runnable task) {
            AtomicBoolean settled = new AtomicBoolean();
            pending.incrementAndGet();
            Task inner = Scheduler.jdk().schedule(delay, () -> {
                if (settled.compareAndSet(false, true)) {
                    pending.decrementAndGet();
                }
                task.run();
            });
            return () -> {
                inner.cancel();
                if (settled.compareAndSet(false, true)) {
                    pending.decrementAndGet();
                }
            };
        }

        int pending() {
            return pending.get();
        }
    }
}
