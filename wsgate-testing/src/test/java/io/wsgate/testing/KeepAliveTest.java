package io.wsgate.testing;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.ApiLimits;
import io.wsgate.api.CloseCause;
import io.wsgate.api.CloseInitiator;
import io.wsgate.api.Completion;
import io.wsgate.api.ConnectionPair;
import io.wsgate.api.Direction;
import io.wsgate.api.Frame;
import io.wsgate.api.FrameType;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.Gateway;
import io.wsgate.core.GatewayConfig;
import io.wsgate.core.GatewayListener;
import io.wsgate.core.PairEnd;
import io.wsgate.core.transport.BackendOutcome;
import io.wsgate.core.transport.PairRelay;
import io.wsgate.core.transport.Peer;
import io.wsgate.core.transport.SideEnd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keepalive per leg ({@link ApiLimits#withKeepAlive}): the gateway pings a leg that sent nothing for the
 * interval and drops it when nothing arrives within the timeout; its own pongs are swallowed, the peers' pings
 * and pongs relayed. Core's relay driven as a transport drives it, with {@link ManualScheduler}'s time.
 */
class KeepAliveTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(30);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ManualScheduler time = ManualScheduler.startingAt(START);
    private final List<PairEnd> ends = Collections.synchronizedList(new ArrayList<>());
    private Gateway gateway;
    private RecordingTransportSide client;
    private RecordingTransportSide backend;
    private PairRelay relay;

    private void open(ApiLimits limits, RecordingTransportSide client, RecordingTransportSide backend) {
        this.client = client;
        this.backend = backend;
        ApiDefinition api = ApiDefinition.builder("echo").backend("ws://127.0.0.1:1/").urlSuffix("/echo").limits(limits).build();
        GatewayListener listener = new GatewayListener() {
            @Override
            public void pairClosed(ConnectionPair pair, PairEnd end) {
                ends.add(end);
            }
        };
        gateway = Gateway.create(GatewayConfig.builder().clock(time.clock()).scheduler(time).api(api).build(),
                List.of(listener));
        HandshakeRequest request = HandshakeRequest.builder().path("/echo")
                .header("Upgrade", "websocket").header("Connection", "Upgrade")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").build();
        gateway.handshake(request, "/echo", RecordingClientHandshake.upgradingTo(client),
                ScriptedBackends.answering(BackendOutcome.connected(backend, "")));
        relay = client.relay().orElseThrow(() -> new AssertionError("the pair was not established"));
    }

    private void open() {
        open(ApiLimits.ofDefaults().withKeepAlive(INTERVAL, TIMEOUT), RecordingTransportSide.create(),
                RecordingTransportSide.create());
    }

    @AfterEach
    void nothingOutlivesThePair() {
        if (gateway != null && gateway.openPairs() == 0) {
            assertThat(gateway.pairDeadlines()).isZero();
            assertThat(time.pending()).isZero();
        }
    }

    private static Frame frame(FrameType type, String payload) {
        return new Frame(type, ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer(), true, true);
    }

    private static String text(Frame f) {
        return StandardCharsets.UTF_8.decode(f.payload().duplicate()).toString();
    }

    private static final Completion DONE = Completion.NOOP;

    /** The peer on this side answers the gateway's last ping to it. */
    private void answer(Peer peer) {
        RecordingTransportSide side = peer == Peer.CLIENT ? client : backend;
        String payload = side.pings().get(side.pings().size() - 1);
        relay.forward(peer.sends(), frame(FrameType.PONG, payload), DONE);
    }

    /** Lets this much time pass, a second at a time; the peers named answer each new ping of the gateway's at once. */
    private void run(Duration amount, Peer... answering) {
        for (long i = 0; i < amount.toSeconds(); i++) {
            int clientPings = client.pings().size();
            int backendPings = backend.pings().size();
            time.advance(Duration.ofSeconds(1));
            for (Peer peer : answering) {
                int before = peer == Peer.CLIENT ? clientPings : backendPings;
                if ((peer == Peer.CLIENT ? client : backend).pings().size() > before) {
                    answer(peer);
                }
            }
        }
    }

    private void endBoth() {
        relay.ended(Peer.CLIENT, new SideEnd(SideEnd.Kind.DISCONNECTED, 1006, ""));
        relay.ended(Peer.BACKEND, new SideEnd(SideEnd.Kind.DISCONNECTED, 1006, ""));
    }

    @Test
    void pingsBothQuietLegsAfterTheIntervalWithAPayloadOfItsOwnPerLeg() {
        open();
        assertThat(gateway.pairDeadlines()).as("one keepalive checker").isOne();
        time.advance(INTERVAL.minusSeconds(1));
        assertThat(client.pings()).isEmpty();

        time.advance(Duration.ofSeconds(1));

        assertThat(client.pings()).hasSize(1);
        assertThat(backend.pings()).hasSize(1);
        assertThat(client.pings().get(0)).startsWith("wsgate-ka:").hasSize(26).isNotEqualTo(backend.pings().get(0));
        assertThat(client.sent()).as("the gateway's pings are not relayed frames").isEmpty();
        endBoth();
    }

    @Test
    void dropsAClientThatAnswersNothingAndClosesTheBackendWith1001() {
        open();
        time.advance(INTERVAL);
        answer(Peer.BACKEND);
        assertThat(client.sent()).as("the gateway's own pong is swallowed").isEmpty();
        time.advance(TIMEOUT.minusSeconds(1));
        assertThat(client.aborts()).isZero();

        time.advance(Duration.ofSeconds(1));

        assertThat(client.closes()).containsExactly(RecordingTransportSide.ABORT);
        assertThat(backend.closes()).containsExactly("1001 Client keepalive timeout");
        endBoth();
        assertThat(ends).singleElement().satisfies(end -> {
            assertThat(end.closedBy()).isEqualTo(CloseInitiator.GATEWAY);
            assertThat(end.cause()).isEqualTo(CloseCause.KEEPALIVE);
            assertThat(end.clientGot().code()).as("no close frame for a dead client").isEqualTo(1006);
            assertThat(end.backendGot().code()).isEqualTo(1001);
            assertThat(end.close().reason()).isEqualTo("Client keepalive timeout");
        });
        assertThat(gateway.openPairs()).isZero();
    }

    @Test
    void dropsABackendThatAnswersNothingAndClosesTheClientWith1011() {
        open();
        time.advance(INTERVAL);
        answer(Peer.CLIENT);

        time.advance(TIMEOUT);

        assertThat(backend.closes()).containsExactly(RecordingTransportSide.ABORT);
        assertThat(client.closes()).containsExactly("1011 Backend keepalive timeout");
        endBoth();
        assertThat(ends).singleElement().satisfies(end -> {
            assertThat(end.cause()).isEqualTo(CloseCause.KEEPALIVE);
            assertThat(end.clientGot().code()).isEqualTo(1011);
            assertThat(end.backendGot().code()).isEqualTo(1006);
        });
    }

    @Test
    void aLegThatAnswersStaysAndThePeersOwnPingsAndPongsAreRelayedEndToEnd() {
        open();
        for (int round = 0; round < 5; round++) {
            time.advance(INTERVAL);
            relay.forward(Direction.CLIENT_TO_BACKEND, frame(FrameType.PING, "client-" + round), DONE);
            answer(Peer.CLIENT);
            answer(Peer.BACKEND);
            relay.forward(Direction.BACKEND_TO_CLIENT, frame(FrameType.PONG, "client-" + round), DONE);
            time.advance(TIMEOUT);
        }
        // a pong that looks like the gateway's but is not exactly its payload is the peers'
        String guess = backend.pings().get(0) + "x";
        relay.forward(Direction.BACKEND_TO_CLIENT, frame(FrameType.PONG, guess), DONE);
        relay.forward(Direction.BACKEND_TO_CLIENT, frame(FrameType.PONG, client.pings().get(0)), DONE);

        assertThat(relay.isClosed()).isFalse();
        assertThat(client.pings()).hasSize(5);
        assertThat(backend.sent()).extracting(KeepAliveTest::text)
                .containsExactly("client-0", "client-1", "client-2", "client-3", "client-4");
        assertThat(client.sent()).extracting(KeepAliveTest::text)
                .as("the backend's pongs to the client's pings, and pongs that are not the gateway's, reach the client")
                .containsExactly("client-0", "client-1", "client-2", "client-3", "client-4", guess, client.pings().get(0));
        endBoth();
    }

    @Test
    void legsThatSendFramesAreNotPinged() {
        open();
        for (int i = 0; i < 10; i++) {
            time.advance(Duration.ofSeconds(20));
            relay.forward(Direction.CLIENT_TO_BACKEND, frame(FrameType.UTF8_MESSAGE, "tick " + i), DONE);
            relay.forward(Direction.BACKEND_TO_CLIENT, frame(FrameType.UTF8_MESSAGE, "tock " + i), DONE);
        }
        assertThat(client.pings()).isEmpty();
        assertThat(backend.pings()).isEmpty();
        assertThat(relay.isClosed()).isFalse();
        endBoth();
    }

    @Test
    void aLegWhoseFrameIsInFlightIsNeverDeclaredDeadButTheLegThatReadsNothingIs() {
        open(ApiLimits.ofDefaults().withKeepAlive(INTERVAL, TIMEOUT), RecordingTransportSide.create(),
                RecordingTransportSide.holdingWrites());
        // the client's frame waits for the backend's write: the gateway reads nothing more from the client
        relay.forward(Direction.CLIENT_TO_BACKEND, frame(FrameType.BINARY_MESSAGE, "big"), DONE);
        run(Duration.ofMinutes(3), Peer.BACKEND);
        assertThat(client.pings()).as("pinged, unanswered, and yet silent by the gateway's own doing").isNotEmpty();
        assertThat(backend.pings()).hasSizeGreaterThan(3);
        assertThat(relay.isClosed()).isFalse();

        // the backend stops answering, its write still stuck: the backend's leg is the dead one
        run(INTERVAL.plus(TIMEOUT));

        assertThat(backend.closes()).containsExactly(RecordingTransportSide.ABORT);
        assertThat(client.closes()).containsExactly("1011 Backend keepalive timeout");
        assertThat(client.aborts()).isZero();
        backend.failNextWrite(new java.io.IOException("aborted"));
        endBoth();
    }

    @Test
    void aLegThatAnswersNothingIsDroppedOnceItsFrameInFlightHasBeenWritten() {
        open(ApiLimits.ofDefaults().withKeepAlive(INTERVAL, TIMEOUT), RecordingTransportSide.create(),
                RecordingTransportSide.holdingWrites());
        relay.forward(Direction.CLIENT_TO_BACKEND, frame(FrameType.BINARY_MESSAGE, "big"), DONE);
        run(Duration.ofMinutes(3), Peer.BACKEND);
        assertThat(client.aborts()).isZero();

        backend.completeNextWrite();
        run(INTERVAL.plus(TIMEOUT), Peer.BACKEND);

        assertThat(client.closes()).containsExactly(RecordingTransportSide.ABORT);
        assertThat(backend.closes()).containsExactly("1001 Client keepalive timeout");
        endBoth();
    }

    @Test
    void aPairThatRelaysNothingButAnswersEveryPingIsStillClosedAtItsIdleTimeout() {
        open(ApiLimits.ofDefaults().withKeepAlive(INTERVAL, TIMEOUT).withIdleTimeout(Duration.ofMinutes(2)),
                RecordingTransportSide.create(), RecordingTransportSide.create());
        Instant closedAt = null;
        for (int i = 0; i < 30 && closedAt == null; i++) {
            int clientPings = client.pings().size();
            int backendPings = backend.pings().size();
            time.advance(Duration.ofSeconds(5));
            if (client.pings().size() > clientPings) {
                answer(Peer.CLIENT);
            }
            if (backend.pings().size() > backendPings) {
                answer(Peer.BACKEND);
            }
            if (relay.isClosed()) {
                closedAt = time.now();
            }
        }

        assertThat(closedAt).isNotNull();
        // on the manual clock: never before the idle timeout, at most one keepalive interval after it
        Instant idleAt = START.plus(Duration.ofMinutes(2));
        assertThat(closedAt).isBetween(idleAt, idleAt.plus(INTERVAL));
        assertThat(client.closes()).containsExactly("1001 Idle timeout");
        assertThat(backend.closes()).containsExactly("1001 Idle timeout");
        endBoth();
        assertThat(ends).singleElement().satisfies(end -> assertThat(end.cause()).isEqualTo(CloseCause.IDLE));
    }

    @Test
    void aPairThatEndsLeavesNoKeepaliveTimerBehind() {
        open();
        time.advance(INTERVAL);
        assertThat(time.pending()).isOne();

        endBoth();

        assertThat(gateway.pairDeadlines()).isZero();
        assertThat(time.pending()).isZero();
        assertThat(time.advance(Duration.ofHours(1))).isZero();
        assertThat(client.aborts()).isZero();
    }

    @Test
    void withKeepAliveOffNothingIsScheduledAndNothingPinged() {
        open(ApiLimits.ofDefaults(), RecordingTransportSide.create(), RecordingTransportSide.create());
        assertThat(time.pending()).isZero();
        assertThat(gateway.pairDeadlines()).isZero();
        time.advance(Duration.ofHours(1));
        assertThat(client.pings()).isEmpty();
        assertThat(backend.pings()).isEmpty();
        endBoth();
    }

    @Test
    void refusesHalfAKeepAlive() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ApiLimits(1, 1, Duration.ofMinutes(1),
                        Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keepAliveTimeout");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ApiLimits.ofDefaults()
                        .withKeepAlive(Duration.ofSeconds(30), Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("keepAliveTimeout must be positive, got PT-1S");
    }
}
