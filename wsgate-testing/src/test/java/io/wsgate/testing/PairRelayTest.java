package io.wsgate.testing;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.ApiLimits;
import io.wsgate.api.CloseCause;
import io.wsgate.api.CloseInitiator;
import io.wsgate.api.CloseStatus;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The relay of an established pair (core's {@code DefaultPairRelay}), driven as a transport drives it: a pair
 * established by the gateway on two {@link RecordingTransportSide}s, frames and ends reported to its
 * {@link PairRelay}, its end heard by a {@link GatewayListener}.
 */
class PairRelayTest {

    /** Records how a completion completed. */
    static final class Done implements Completion {
        int succeeded;
        Throwable failed;

        @Override
        public void succeeded() {
            succeeded++;
        }

        @Override
        public void failed(Throwable cause) {
            failed = cause;
        }

        boolean completedOnce() {
            return succeeded + (failed == null ? 0 : 1) == 1;
        }
    }

    private final ManualScheduler time = ManualScheduler.startingAt(Instant.parse("2030-01-01T00:00:00Z"));
    private final List<PairEnd> ends = Collections.synchronizedList(new ArrayList<>());
    private RecordingTransportSide client;
    private RecordingTransportSide backend;
    private PairRelay relay;

    @BeforeEach
    void setUp() {
        open(RecordingTransportSide.create(), RecordingTransportSide.create());
    }

    /** Establishes a pair on these sides, with a message limit of 100 bytes; it has lasted 5 s when the test starts. */
    private void open(RecordingTransportSide client, RecordingTransportSide backend) {
        this.client = client;
        this.backend = backend;
        this.relay = establish(ApiLimits.ofDefaults().withMaxMessageSize(100), client, backend);
        time.advance(Duration.ofSeconds(5));
    }

    private PairRelay establish(ApiLimits limits, RecordingTransportSide client, RecordingTransportSide backend) {
        ApiDefinition api = ApiDefinition.builder("echo").backend("ws://127.0.0.1:1/").urlSuffix("/echo").limits(limits).build();
        GatewayListener listener = new GatewayListener() {
            @Override
            public void pairClosed(ConnectionPair pair, PairEnd end) {
                ends.add(end);
            }
        };
        Gateway gateway = Gateway.create(GatewayConfig.builder().clock(time.clock()).scheduler(time).api(api).build(),
                List.of(listener));
        HandshakeRequest request = HandshakeRequest.builder().path("/echo")
                .header("Upgrade", "websocket").header("Connection", "Upgrade")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").build();
        gateway.handshake(request, "/echo", RecordingClientHandshake.upgradingTo(client),
                ScriptedBackends.answering(BackendOutcome.connected(backend, "")));
        assertThat(backend.relay()).as("both sides started on one relay").isEqualTo(client.relay());
        return client.relay().orElseThrow(() -> new AssertionError("the pair was not established"));
    }

    private static Frame text(String s) {
        return new Frame(FrameType.UTF8_MESSAGE, ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)), true, true);
    }

    private static Frame bytes(FrameType type, int n, boolean first, boolean last) {
        return new Frame(type, ByteBuffer.allocate(n), first, last);
    }

    private static Frame close(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(2 + r.length);
        b.putShort((short) code).put(r).flip();
        return new Frame(FrameType.CLOSE, b, true, true);
    }

    private Done forward(Direction d, Frame f) {
        Done done = new Done();
        relay.forward(d, f, done);
        return done;
    }

    @Test
    void relaysATextMessageToTheBackendAndCountsIt() {
        Frame f = text("hello");
        Done done = forward(Direction.CLIENT_TO_BACKEND, f);

        assertThat(backend.sent()).containsExactly(f);
        assertThat(backend.sent().get(0).payload()).isSameAs(f.payload());
        assertThat(done.succeeded).isEqualTo(1);
        assertThat(relay.messages(Direction.CLIENT_TO_BACKEND)).isEqualTo(1);
        assertThat(relay.bytes(Direction.CLIENT_TO_BACKEND)).isEqualTo(5);
        assertThat(relay.messages(Direction.BACKEND_TO_CLIENT)).isZero();
    }

    @Test
    void completesTheSourceOnlyWhenTheWriteToTheOtherSideCompleted() {
        open(RecordingTransportSide.holdingWrites(), RecordingTransportSide.create());
        Done done = forward(Direction.BACKEND_TO_CLIENT, bytes(FrameType.BINARY_MESSAGE, 10, true, true));

        assertThat(done.succeeded).isZero();
        client.completeNextWrite();
        assertThat(done.succeeded).isEqualTo(1);
    }

    @Test
    void relaysFragmentsAsFragmentsAndCountsOneMessage() {
        forward(Direction.CLIENT_TO_BACKEND, bytes(FrameType.BINARY_FRAGMENT, 10, true, false));
        forward(Direction.CLIENT_TO_BACKEND, bytes(FrameType.BINARY_FRAGMENT, 10, false, false));
        forward(Direction.CLIENT_TO_BACKEND, bytes(FrameType.BINARY_FRAGMENT, 10, false, true));

        assertThat(backend.sent()).hasSize(3).allMatch(f -> f.type() == FrameType.BINARY_FRAGMENT);
        assertThat(relay.messages(Direction.CLIENT_TO_BACKEND)).isEqualTo(1);
        assertThat(relay.bytes(Direction.CLIENT_TO_BACKEND)).isEqualTo(30);
    }

    @Test
    void relaysPingAndPongWithoutCountingThemAsMessages() {
        forward(Direction.CLIENT_TO_BACKEND, bytes(FrameType.PING, 4, true, true));
        forward(Direction.BACKEND_TO_CLIENT, bytes(FrameType.PONG, 4, true, true));

        assertThat(backend.sent()).extracting(Frame::type).containsExactly(FrameType.PING);
        assertThat(client.sent()).extracting(Frame::type).containsExactly(FrameType.PONG);
        assertThat(relay.messages(Direction.CLIENT_TO_BACKEND)).isZero();
    }

    @Test
    void aMessageOverTheLimitAcrossFragmentsGets1009AndClosesTheBackendWith1001() {
        forward(Direction.CLIENT_TO_BACKEND, bytes(FrameType.BINARY_FRAGMENT, 60, true, false));
        Done done = forward(Direction.CLIENT_TO_BACKEND, bytes(FrameType.BINARY_FRAGMENT, 60, false, true));

        assertThat(done.succeeded).isEqualTo(1);
        assertThat(backend.sent()).hasSize(1);
        assertThat(client.closes()).containsExactly("1009 Message too big");
        assertThat(backend.closes()).containsExactly("1001 Client went away");
    }

    @Test
    void aBackendMessageOverTheLimitClosesTheClientWith1011() {
        forward(Direction.BACKEND_TO_CLIENT, bytes(FrameType.BINARY_MESSAGE, 101, true, true));

        assertThat(client.sent()).isEmpty();
        assertThat(backend.closes()).containsExactly("1009 Message too big");
        assertThat(client.closes()).containsExactly("1011 Backend failed");
        relay.ended(Peer.BACKEND, new SideEnd(SideEnd.Kind.CLOSED, 1009, "Message too big"));
        relay.ended(Peer.CLIENT, new SideEnd(SideEnd.Kind.CLOSED, 1011, "Backend failed"));
        assertThat(ends).singleElement().satisfies(e -> {
            assertThat(e.closedBy()).isEqualTo(CloseInitiator.GATEWAY);
            assertThat(e.cause()).isEqualTo(CloseCause.TOO_BIG);
            assertThat(e.closeCode()).isEqualTo(1009);
            assertThat(e.backendGot()).isEqualTo(CloseStatus.of(1009, "Message too big"));
            assertThat(e.clientGot()).isEqualTo(CloseStatus.of(1011, "Backend failed"));
        });
    }

    @Test
    void aMessageOfExactlyTheLimitIsRelayed() {
        forward(Direction.CLIENT_TO_BACKEND, bytes(FrameType.BINARY_MESSAGE, 100, true, true));
        forward(Direction.CLIENT_TO_BACKEND, bytes(FrameType.BINARY_MESSAGE, 100, true, true));

        assertThat(backend.sent()).hasSize(2);
        assertThat(client.closes()).isEmpty();
    }

    @Test
    void invalidUtf8IsNeverRelayedAndGets1007() {
        Frame bad = new Frame(FrameType.UTF8_MESSAGE, ByteBuffer.wrap(new byte[]{'a', (byte) 0xC3, 'b'}), true, true);
        forward(Direction.BACKEND_TO_CLIENT, bad);

        assertThat(client.sent()).isEmpty();
        assertThat(backend.closes()).containsExactly("1007 Invalid UTF-8");
        assertThat(client.closes()).containsExactly("1011 Backend failed");
    }

    @Test
    void aCharacterSplitAcrossFragmentsIsValidButATruncatedLastFragmentIsNot() {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        forward(Direction.CLIENT_TO_BACKEND, new Frame(FrameType.UTF8_FRAGMENT, ByteBuffer.wrap(euro, 0, 1), true, false));
        forward(Direction.CLIENT_TO_BACKEND, new Frame(FrameType.UTF8_FRAGMENT, ByteBuffer.wrap(euro, 1, 2), false, true));
        assertThat(backend.sent()).hasSize(2);
        assertThat(client.closes()).isEmpty();

        forward(Direction.CLIENT_TO_BACKEND, new Frame(FrameType.UTF8_FRAGMENT, ByteBuffer.wrap(euro, 0, 2), true, false));
        forward(Direction.CLIENT_TO_BACKEND, new Frame(FrameType.UTF8_FRAGMENT, ByteBuffer.allocate(0), false, true));
        assertThat(backend.sent()).hasSize(3);
        assertThat(client.closes()).containsExactly("1007 Invalid UTF-8");
    }

    @Test
    void aClientCloseIsRelayedWithItsCodeAndReasonAndTheBackendsAnswerIsTheClientsAnswer() {
        Frame c = close(4000, "bye");
        Done done = forward(Direction.CLIENT_TO_BACKEND, c);
        assertThat(backend.sent()).containsExactly(c);
        assertThat(done.succeeded).isEqualTo(1);
        assertThat(client.sent()).as("no answer before the backend's").isEmpty();

        Frame backendAnswer = close(1000, "see you");
        Done answer = forward(Direction.BACKEND_TO_CLIENT, backendAnswer);
        assertThat(answer.succeeded).isEqualTo(1);
        assertThat(client.sent()).containsExactly(backendAnswer);

        relay.ended(Peer.BACKEND, new SideEnd(SideEnd.Kind.CLOSED, 1000, "see you"));
        relay.ended(Peer.CLIENT, new SideEnd(SideEnd.Kind.CLOSED, 4000, "bye"));
        assertThat(client.closes()).isEmpty();
        assertThat(backend.closes()).isEmpty();
        assertThat(client.sent()).hasSize(1);
        assertThat(ends).singleElement().isEqualTo(new PairEnd(CloseInitiator.CLIENT, CloseCause.NORMAL,
                CloseStatus.of(4000, "bye"), CloseStatus.of(1000, "see you"), CloseStatus.of(4000, "bye"), 5000));
    }

    @Test
    void aBackendThatEndsWithoutAnsweringTheRelayedCloseHasTheClientAnsweredWithItsOwnCodeAndNoReason() {
        forward(Direction.CLIENT_TO_BACKEND, close(4000, "bye"));
        relay.ended(Peer.BACKEND, new SideEnd(SideEnd.Kind.DISCONNECTED, 1006, ""));

        assertThat(client.sent()).singleElement().satisfies(f -> {
            assertThat(f.closeCode()).isEqualTo(4000);
            assertThat(f.closeReason()).isEmpty();
        });
        assertThat(client.closes()).isEmpty();
        Done late = forward(Direction.BACKEND_TO_CLIENT, close(1000, "too late"));
        assertThat(late.succeeded).isEqualTo(1);
        assertThat(client.sent()).as("one close frame to the client, ever").hasSize(1);
    }

    @Test
    void anEmptyCloseLeftUnansweredIsAnsweredEmpty() {
        forward(Direction.BACKEND_TO_CLIENT, new Frame(FrameType.CLOSE, ByteBuffer.allocate(0), true, true));
        relay.ended(Peer.CLIENT, new SideEnd(SideEnd.Kind.DISCONNECTED, 1006, ""));

        assertThat(backend.sent()).singleElement().satisfies(f -> assertThat(f.length()).isZero());
    }

    @Test
    void twoClosesThatCrossAnswerEachOther() {
        // both sides closed at once: the client's close reached the relay first, but its write to the
        // backend has not completed when the backend's own close arrives
        open(RecordingTransportSide.create(), RecordingTransportSide.holdingWrites());
        Frame fromClient = close(1000, "client bye");
        Frame fromBackend = close(1001, "backend bye");
        Done clientDone = forward(Direction.CLIENT_TO_BACKEND, fromClient);
        Done backendDone = forward(Direction.BACKEND_TO_CLIENT, fromBackend);

        assertThat(backend.sent()).containsExactly(fromClient);
        assertThat(client.sent()).containsExactly(fromBackend);
        assertThat(backendDone.succeeded).isEqualTo(1);
        backend.completeNextWrite();
        assertThat(clientDone.succeeded).isEqualTo(1);
    }

    @Test
    void aBackendCloseWithAnEmptyPayloadIsRelayedAsIs() {
        Frame empty = new Frame(FrameType.CLOSE, ByteBuffer.allocate(0), true, true);
        forward(Direction.BACKEND_TO_CLIENT, empty);

        assertThat(client.sent()).containsExactly(empty);
        relay.ended(Peer.BACKEND, new SideEnd(SideEnd.Kind.CLOSED, 1005, ""));
        relay.ended(Peer.CLIENT, new SideEnd(SideEnd.Kind.CLOSED, 1005, ""));
        assertThat(ends).singleElement().extracting(PairEnd::closedBy, PairEnd::closeCode)
                .containsExactly(CloseInitiator.BACKEND, 1005);
    }

    @Test
    void dataAfterACloseIsDropped() {
        forward(Direction.BACKEND_TO_CLIENT, close(1000, ""));
        Done late = forward(Direction.CLIENT_TO_BACKEND, text("late"));

        assertThat(late.succeeded).isEqualTo(1);
        assertThat(backend.sent()).isEmpty();
    }

    @Test
    void aClientThatVanishesClosesTheBackendWith1001() {
        relay.ended(Peer.CLIENT, new SideEnd(SideEnd.Kind.DISCONNECTED, 1006, ""));

        assertThat(backend.closes()).containsExactly("1001 Client went away");
        assertThat(ends).isEmpty();
        relay.ended(Peer.BACKEND, new SideEnd(SideEnd.Kind.CLOSED, 1001, "Client went away"));
        assertThat(ends).singleElement().satisfies(e -> {
            assertThat(e.closedBy()).isEqualTo(CloseInitiator.CLIENT);
            assertThat(e.cause()).isEqualTo(CloseCause.DISCONNECTED);
            assertThat(e.closeCode()).isEqualTo(1006);
            assertThat(e.clientGot().code()).isEqualTo(1006);
            assertThat(e.backendGot()).isEqualTo(CloseStatus.of(1001, "Client went away"));
        });
    }

    @Test
    void aBackendThatFailsClosesTheClientWith1011() {
        relay.ended(Peer.BACKEND, new SideEnd(SideEnd.Kind.PROTOCOL_ERROR, 1002, "bad frame"));

        assertThat(client.closes()).containsExactly("1011 Backend failed");
        relay.ended(Peer.CLIENT, new SideEnd(SideEnd.Kind.CLOSED, 1011, "Backend failed"));
        assertThat(ends).singleElement().satisfies(e -> {
            assertThat(e.closedBy()).as("the gateway decided").isEqualTo(CloseInitiator.GATEWAY);
            assertThat(e.cause()).isEqualTo(CloseCause.PROTOCOL_ERROR);
            assertThat(e.close()).isEqualTo(CloseStatus.of(1002, "bad frame"));
            assertThat(e.backendGot().code()).isEqualTo(1002);
            assertThat(e.clientGot().code()).isEqualTo(1011);
        });
    }

    @Test
    void aFrameTooBigForTheTransportIsTheGatewaysDecisionToo() {
        relay.ended(Peer.CLIENT, new SideEnd(SideEnd.Kind.PROTOCOL_ERROR, 1009, "Frame too big"));
        relay.ended(Peer.BACKEND, new SideEnd(SideEnd.Kind.CLOSED, 1001, "Client went away"));

        assertThat(backend.closes()).containsExactly("1001 Client went away");
        assertThat(ends).singleElement().satisfies(e -> {
            assertThat(e.closedBy()).isEqualTo(CloseInitiator.GATEWAY);
            assertThat(e.cause()).isEqualTo(CloseCause.TOO_BIG);
            assertThat(e.clientGot().code()).isEqualTo(1009);
            assertThat(e.backendGot().code()).isEqualTo(1001);
        });
    }

    @Test
    void anIdleTimeoutIsTheGatewaysDecision() {
        relay.ended(Peer.BACKEND, new SideEnd(SideEnd.Kind.IDLE_TIMEOUT, 1001, "Idle"));
        relay.ended(Peer.CLIENT, new SideEnd(SideEnd.Kind.CLOSED, 1011, ""));

        assertThat(client.closes()).containsExactly("1011 Backend failed");
        assertThat(ends).singleElement().extracting(PairEnd::closedBy).isEqualTo(CloseInitiator.GATEWAY);
    }

    @Test
    void aCloseHandshakeEndedWithoutARelayedFrameClosesTheOtherSideWithTheSameCode() {
        relay.ended(Peer.BACKEND, new SideEnd(SideEnd.Kind.CLOSED, 4001, "done"));

        assertThat(client.closes()).containsExactly("4001 done");
    }

    @Test
    void reservedCodesNeverGoOnTheWire() {
        relay.ended(Peer.CLIENT, new SideEnd(SideEnd.Kind.CLOSED, 1006, ""));
        assertThat(backend.closes()).containsExactly("1001 Client went away");

        RecordingTransportSide otherClient = RecordingTransportSide.create();
        PairRelay other = establish(ApiLimits.ofDefaults(), otherClient, RecordingTransportSide.create());
        other.ended(Peer.BACKEND, new SideEnd(SideEnd.Kind.CLOSED, 1005, ""));
        assertThat(otherClient.closes()).containsExactly("1000 ");
    }

    @Test
    void reportsThePairEndedExactlyOnceWhateverTheOrderAndRepetition() {
        relay.ended(Peer.CLIENT, new SideEnd(SideEnd.Kind.DISCONNECTED, 1006, ""));
        relay.ended(Peer.CLIENT, new SideEnd(SideEnd.Kind.DISCONNECTED, 1006, ""));
        relay.ended(Peer.BACKEND, new SideEnd(SideEnd.Kind.CLOSED, 1001, ""));
        relay.ended(Peer.BACKEND, new SideEnd(SideEnd.Kind.CLOSED, 1001, ""));

        assertThat(ends).hasSize(1);
        assertThat(backend.closes()).hasSize(1);
    }

    @Test
    void aFailedWriteClosesBothSidesAndFailsTheSource() {
        open(RecordingTransportSide.create(), RecordingTransportSide.holdingWrites());
        Done done = forward(Direction.CLIENT_TO_BACKEND, text("x"));
        backend.failNextWrite(new java.io.IOException("reset"));

        assertThat(done.failed).isNotNull();
        assertThat(done.completedOnce()).isTrue();
        assertThat(client.closes()).containsExactly("1011 Backend failed");
        assertThat(backend.aborts()).isEqualTo(1);
    }

    @Test
    void aWriteThatLosesTheRaceWithACloseIsQuietlyDropped() {
        open(RecordingTransportSide.create(), RecordingTransportSide.holdingWrites());
        Done done = forward(Direction.CLIENT_TO_BACKEND, text("x"));
        relay.close(1001, "shutdown");
        backend.failNextWrite(new java.io.IOException("closed"));

        assertThat(done.succeeded).isEqualTo(1);
        assertThat(client.closes()).containsExactly("1001 shutdown");
        assertThat(backend.closes()).containsExactly("1001 shutdown");
    }

    @Test
    void closeByTheGatewayClosesBothSidesOnceAndIsReported() {
        relay.close(1001, "shutdown");
        relay.close(1001, "shutdown");
        assertThat(relay.isClosed()).isTrue();
        relay.ended(Peer.CLIENT, new SideEnd(SideEnd.Kind.CLOSED, 1001, "shutdown"));
        relay.ended(Peer.BACKEND, new SideEnd(SideEnd.Kind.CLOSED, 1001, "shutdown"));

        assertThat(client.closes()).containsExactly("1001 shutdown");
        assertThat(backend.closes()).containsExactly("1001 shutdown");
        assertThat(ends).singleElement().extracting(PairEnd::closedBy, PairEnd::cause)
                .containsExactly(CloseInitiator.GATEWAY, CloseCause.APPLICATION);
    }

    @Test
    void aCloseTheGatewayDecidesCarriesItsCause() {
        relay.close(1008, "token expired", CloseCause.TOKEN_EXPIRED);
        relay.ended(Peer.CLIENT, new SideEnd(SideEnd.Kind.CLOSED, 1008, "token expired"));
        relay.ended(Peer.BACKEND, new SideEnd(SideEnd.Kind.CLOSED, 1008, "token expired"));

        assertThat(ends).singleElement().satisfies(e -> {
            assertThat(e.cause()).isEqualTo(CloseCause.TOKEN_EXPIRED);
            assertThat(e.clientGot()).isEqualTo(CloseStatus.of(1008, "token expired"));
            assertThat(e.backendGot()).isEqualTo(CloseStatus.of(1008, "token expired"));
        });
    }

    @Test
    void refusesToSendAReservedCodeAsTheGateway() {
        assertThatThrownBy(() -> relay.close(1006, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTransportThatReportsItsEndFromInsideCloseStillGetsTheRightCodes() {
        RecordingTransportSide reentrantClient = RecordingTransportSide.endingWhenClosed(Peer.CLIENT);
        RecordingTransportSide otherBackend = RecordingTransportSide.create();
        PairRelay pair = establish(ApiLimits.ofDefaults().withMaxMessageSize(10), reentrantClient, otherBackend);

        pair.forward(Direction.CLIENT_TO_BACKEND, bytes(FrameType.BINARY_MESSAGE, 11, true, true), new Done());

        assertThat(reentrantClient.closes()).containsExactly("1009 Message too big");
        assertThat(otherBackend.closes()).containsExactly("1001 Client went away");
    }
}
