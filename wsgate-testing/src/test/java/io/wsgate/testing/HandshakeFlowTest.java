package io.wsgate.testing;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.Completion;
import io.wsgate.api.ConnectionPair;
import io.wsgate.api.Frame;
import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.api.Headers;
import io.wsgate.core.DrainOptions;
import io.wsgate.core.Gateway;
import io.wsgate.core.GatewayConfig;
import io.wsgate.core.GatewayListener;
import io.wsgate.core.HandshakeOutcome;
import io.wsgate.core.PairEnd;
import io.wsgate.core.transport.BackendFailure;
import io.wsgate.core.transport.BackendOutcome;
import io.wsgate.core.transport.PairRelay;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole handshake driven by the gateway through the two transport ports, as an adapter hands it over: core's
 * flow, tested here with the public fakes of this module (core's own tests cannot depend on them).
 */
class HandshakeFlowTest {

    private static HandshakeRequest.Builder upgrade(String path) {
        return HandshakeRequest.builder().path(path)
                .header("Upgrade", "websocket").header("Connection", "Upgrade")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
    }

    /** Records every event, in order. */
    static final class Events implements GatewayListener {
        final List<String> seen = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void handshakeStarted(String requestId, HandshakeRequest request, Optional<ApiDefinition> api) {
            seen.add("started " + request.path() + " " + api.map(ApiDefinition::name).orElse("-"));
        }

        @Override
        public void handshakeRejected(HandshakeOutcome o) {
            seen.add("rejected " + o.api() + " " + o.status() + " " + o.error());
        }

        @Override
        public void handshakeFailed(HandshakeOutcome o) {
            seen.add("failed " + o.api() + " " + o.status() + " " + o.error());
        }

        @Override
        public void handshakeAccepted(HandshakeOutcome o) {
            seen.add("accepted " + o.api() + " " + o.status() + " " + o.error());
        }

        @Override
        public void pairOpened(ConnectionPair pair) {
            seen.add("opened " + pair.api().name());
        }

        @Override
        public void pairClosed(ConnectionPair pair, PairEnd end) {
            seen.add("closed " + pair.api().name() + " " + end.closeCode());
        }
    }

    private static GatewayConfig config(HandshakePolicy... policies) {
        return GatewayConfig.builder().api(ApiDefinition.builder("echo")
                .backends("ws://10.0.0.1:9000/a", "ws://10.0.0.2:9000/b").urlSuffix("/echo").onHandshake(policies).build()).build();
    }

    private static final BackendOutcome UNREACHABLE =
            BackendOutcome.failed(new BackendFailure.Unreachable(new ConnectException("Connection refused")));

    @Test
    void anUnreachableBackendIsFailedOverAndThePairStartsOnBothSidesOnlyAfterTheClientIsUpgraded() throws Exception {
        Events events = new Events();
        Gateway gateway = Gateway.create(config(), List.of(events));
        RecordingTransportSide client = RecordingTransportSide.create();
        RecordingTransportSide backend = RecordingTransportSide.create();
        ScriptedBackends backends = ScriptedBackends.answering(UNREACHABLE, BackendOutcome.connected(backend, "chat"));
        RecordingClientHandshake port = RecordingClientHandshake.upgradingTo(client);

        gateway.handshake(upgrade("/echo/room").query("access_token=secret").build(), "/echo/room", port, backends);

        assertThat(backends.requests()).extracting(r -> r.uri()).containsExactly(
                URI.create("ws://10.0.0.1:9000/a/room?access_token=secret"), URI.create("ws://10.0.0.2:9000/b/room?access_token=secret"));
        assertThat(port.upgradedWith()).isCompletedWithValue("chat");
        assertThat(port.rejected()).isNotDone();
        PairRelay relay = backend.relay().orElse(null);
        assertThat(relay).as("the backend side was started").isNotNull();
        assertThat(client.started()).isCompletedWithValue(relay);
        assertThat(gateway.openPairs()).isEqualTo(1);
        assertThat(gateway.pendingHandshakes()).isZero();
        assertThat(events.seen).containsExactly("started /echo/room echo", "accepted echo 101 none", "opened echo");
    }

    @Test
    void theFailoverWarningNamesTheBackendsWithoutTheClientsQuery() throws Exception {
        Gateway gateway = Gateway.create(config());
        ScriptedBackends backends = ScriptedBackends.answering(UNREACHABLE, UNREACHABLE);
        RecordingClientHandshake port = RecordingClientHandshake.leaving();
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            gateway.handshake(upgrade("/echo").query("access_token=secret.jwt.value&k=1").build(), "/echo", port, backends);
            assertThat(port.awaitRejection().status()).isEqualTo(502);
        } finally {
            System.setErr(err);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("ws://10.0.0.1:9000/a").contains("trying the next one, ws://10.0.0.2:9000/b");
        assertThat(log).doesNotContain("secret").doesNotContain("access_token");
    }

    @Test
    void aRejectedHandshakeNeverConnectsAndIsHeardAsRejected() throws Exception {
        Events events = new Events();
        Gateway gateway = Gateway.create(config(HandshakePolicy.of("deny",
                ctx -> HandshakeDecision.reject(403, "DENIED", "no"))), List.of(events));
        RecordingClientHandshake port = RecordingClientHandshake.leaving();
        gateway.handshake(upgrade("/echo").build(), "/echo", port, ScriptedBackends.never());
        assertThat(port.awaitRejection().status()).isEqualTo(403);
        assertThat(events.seen).containsExactly("started /echo echo", "rejected echo 403 DENIED");

        gateway.handshake(upgrade("/nowhere").build(), "/nowhere", RecordingClientHandshake.leaving(), ScriptedBackends.never());
        assertThat(events.seen).as("an unrouted handshake starts without an API and ends without one")
                .endsWith("started /nowhere -", "rejected - 404 API_NOT_FOUND");
    }

    @Test
    void aDrainingGatewayNamesTheRoutedApiWhenItStartsAndEndsTheHandshake() throws Exception {
        Events events = new Events();
        Gateway gateway = Gateway.create(config(), List.of(events));
        gateway.drain(DrainOptions.ofDefaults());
        RecordingClientHandshake port = RecordingClientHandshake.leaving();
        gateway.handshake(upgrade("/echo").build(), "/echo", port, ScriptedBackends.never());
        assertThat(port.awaitRejection().status()).isEqualTo(503);
        assertThat(events.seen).containsExactly("started /echo echo", "rejected echo 503 GATEWAY_DRAINING");
        assertThat(gateway.pendingHandshakes()).isZero();
    }

    @Test
    void anHttp10UpgradeIsRefusedBeforeAnyBackendConnection() throws Exception {
        RecordingClientHandshake port = RecordingClientHandshake.leaving();
        Gateway.create(config()).handshake(upgrade("/echo").httpVersion("HTTP/1.0").build(), "/echo", port,
                ScriptedBackends.never());
        assertThat(port.awaitRejection().status()).isEqualTo(400);
    }

    @Test
    void aRequestThePoliciesMadeUnsendableIsA500WithoutFailover() throws Exception {
        Events events = new Events();
        Gateway gateway = Gateway.create(config(), List.of(events));
        ScriptedBackends backends = ScriptedBackends.answering(
                BackendOutcome.failed(new BackendFailure.InvalidRequest("header name 'a b' is not a token")));
        RecordingClientHandshake port = RecordingClientHandshake.leaving();
        gateway.handshake(upgrade("/echo").build(), "/echo", port, backends);
        assertThat(port.awaitRejection().code()).isEqualTo("POLICY_ERROR");
        assertThat(backends.requests()).hasSize(1);
        assertThat(events.seen).containsExactly("started /echo echo", "failed echo 500 POLICY_ERROR");
    }

    @Test
    void aClientThatLeavesBeforeItsUpgradeGetsItsBackendClosedAndNoPair() throws Exception {
        Events events = new Events();
        Gateway gateway = Gateway.create(config(), List.of(events));
        RecordingTransportSide backend = RecordingTransportSide.create();
        gateway.handshake(upgrade("/echo").build(), "/echo", RecordingClientHandshake.leaving(),
                ScriptedBackends.answering(BackendOutcome.connected(backend, "")));
        assertThat(backend.closes()).containsExactly("1001 Client went away");
        assertThat(backend.started()).isNotDone();
        assertThat(gateway.openPairs()).isZero();
        assertThat(gateway.pendingHandshakes()).isZero();
        assertThat(events.seen).containsExactly("started /echo echo", "failed echo 499 ABANDONED");
    }

    @Test
    void aBackendConnectorThatThrowsOrFailsItsStageIsAnUnreachableBackend() throws Exception {
        RecordingClientHandshake port = RecordingClientHandshake.leaving();
        Gateway.create(config()).handshake(upgrade("/echo").build(), "/echo", port, (request, limits) -> {
            throw new IllegalStateException("connector bug");
        });
        assertThat(port.awaitRejection().code()).isEqualTo("BACKEND_UNAVAILABLE");
        RecordingClientHandshake second = RecordingClientHandshake.leaving();
        Gateway.create(config()).handshake(upgrade("/echo").build(), "/echo", second,
                (request, limits) -> CompletableFuture.failedFuture(new ConnectException("refused")));
        assertThat(second.awaitRejection().code()).isEqualTo("BACKEND_UNAVAILABLE");
    }

    @Test
    void aListenerThatThrowsHarmsNoHandshake() throws Exception {
        GatewayListener broken = new GatewayListener() {
            @Override
            public void handshakeStarted(String requestId, HandshakeRequest request, Optional<ApiDefinition> api) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void handshakeAccepted(HandshakeOutcome outcome) {
                throw new IllegalStateException("listener bug");
            }
        };
        Events after = new Events();
        Gateway gateway = Gateway.create(config(), List.of(broken, after));
        RecordingTransportSide client = RecordingTransportSide.create();
        gateway.handshake(upgrade("/echo").build(), "/echo", RecordingClientHandshake.upgradingTo(client),
                ScriptedBackends.answering(BackendOutcome.connected(RecordingTransportSide.create(), "")));
        assertThat(client.started()).isDone();
        assertThat(after.seen).as("the next listener still hears every event")
                .containsExactly("started /echo echo", "accepted echo 101 none", "opened echo");
    }

    @Test
    void aHeaderBackendFailureKeepsItsSafeHeadersOnly() throws Exception {
        RecordingClientHandshake port = RecordingClientHandshake.leaving();
        Gateway.create(config()).handshake(upgrade("/echo").build(), "/echo", port, ScriptedBackends.answering(
                BackendOutcome.failed(new BackendFailure.Refused(401, Headers.builder().add("WWW-Authenticate", "Bearer").build(), ""))));
        assertThat(port.awaitRejection().status()).isEqualTo(401);
    }
}
