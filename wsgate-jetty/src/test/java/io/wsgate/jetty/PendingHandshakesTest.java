package io.wsgate.jetty;

import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PendingHandshakesTest extends GatewayTestBase {

    @Test
    void manyHandshakesWaitOnASlowBackendAtOnceWithoutHoldingTheGatewaysFewThreads() throws Exception {
        // more than Jetty's 64 connections to one destination: the gateway's backend client must not
        // make the 65th handshake wait for an earlier one (this test's own client gets room for them too)
        int n = 200;
        client.stop();
        client.getHttpClient().setMaxConnectionsPerDestination(n);
        client.start();
        backend.chooseSubprotocol = "chosen";
        // 8 threads: the acceptor, the selector and a few workers; 200 handshakes could never each hold one.
        startGateway(8, b -> { }, api("gated", "/gated", "/gated").build());

        List<CompletableFuture<CoreSession>> sessions = new ArrayList<>();
        List<RecordingClient> handlers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RecordingClient handler = new RecordingClient();
            CoreClientUpgradeRequest req = CoreClientUpgradeRequest.from(client, URI.create(gw("/gated")), handler);
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
            f.get().close(1000, "", org.eclipse.jetty.util.Callback.NOOP);
        }
        for (RecordingClient h : handlers) {
            h.closed.get(10, TimeUnit.SECONDS);
        }
    }
}
