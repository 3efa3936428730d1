package io.wsgate.jetty;

import io.wsgate.api.ConnectionPair;
import io.wsgate.api.Direction;
import io.wsgate.api.FrameType;
import io.wsgate.api.MessageContext;
import io.wsgate.api.MessagePolicy;
import io.wsgate.api.MessageVerdict;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Message policies between a real client and a real backend: replacements and drops of whole messages and of
 * fragments, control frames that go past the policies, an asynchronous policy under a flood (memory stays bounded),
 * a throwing policy that closes its own pair only, and per-pair instances released when pairs end.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Mount.class)
class MessagePoliciesEndToEndTest extends GatewayTestBase {

    private final ExecutorService elsewhere = Executors.newFixedThreadPool(2);

    MessagePoliciesEndToEndTest(Mount mount) {
        super(mount);
    }

    @AfterEach
    void stopExecutor() {
        elsewhere.shutdownNow();
    }

    /** Upper-cases every text frame: a replacement, fragment by fragment (ASCII only, so any split stays UTF-8). */
    static final MessagePolicy UPPER = (c, f) -> c.text() ? MessageVerdict.replace(ByteBuffer.wrap(
            StandardCharsets.UTF_8.decode(f.payload().duplicate()).toString().toUpperCase(Locale.ROOT)
                    .getBytes(StandardCharsets.UTF_8))) : MessageVerdict.forward();

    /** Drops every other message, by its first frame: the 1st, 3rd, 5th... */
    static final MessagePolicy DROP_EVERY_OTHER = (c, f) -> f.first() && c.messagesBefore() % 2 == 0
            ? MessageVerdict.drop() : MessageVerdict.forward();

    private static String text(Frame f) {
        return TestBackend.text(f);
    }

    private static String describe(Frame f) {
        return OpCode.name(f.getOpCode()) + (f.isFin() ? " fin " : " ") + text(f);
    }

    private RecordingClient connect() throws Exception {
        return RecordingClient.connect(client, gw("/chat"));
    }

    @Test
    void anOutboundReplacementUpperCasesMessagesAndFragmentsStayFragments() throws Exception {
        startGateway(api("chat", "/chat", "/backend").onMessage(Direction.BACKEND_TO_CLIENT, UPPER).build());
        RecordingClient c = connect();

        c.sendText("hello");
        assertThat(text(c.nextData())).isEqualTo("HELLO");
        assertThat(text(backend.frames.poll(10, TimeUnit.SECONDS))).as("inbound is not replaced").isEqualTo("hello");

        c.send(OpCode.TEXT, false, ByteBuffer.wrap("ab".getBytes(StandardCharsets.UTF_8)));
        c.send(OpCode.CONTINUATION, false, ByteBuffer.wrap("cd".getBytes(StandardCharsets.UTF_8)));
        c.send(OpCode.CONTINUATION, true, ByteBuffer.wrap("ef".getBytes(StandardCharsets.UTF_8)));
        List<String> got = List.of(describe(c.nextData()), describe(c.nextData()), describe(c.nextData()));
        assertThat(got).containsExactly("TEXT AB", "CONTINUATION CD", "CONTINUATION fin EF");

        c.session.close(1000, "", Callback.NOOP);
        assertThat(c.awaitClosed().getCode()).isEqualTo(1000);
    }

    @Test
    void aDroppedMessageDropsAllItsFragmentsAndTheOthersGoThrough() throws Exception {
        startGateway(api("chat", "/chat", "/backend").onMessage(Direction.CLIENT_TO_BACKEND, DROP_EVERY_OTHER).build());
        RecordingClient c = connect();

        c.send(OpCode.TEXT, false, ByteBuffer.wrap("one-a".getBytes(StandardCharsets.UTF_8)));
        c.send(OpCode.CONTINUATION, false, ByteBuffer.wrap("one-b".getBytes(StandardCharsets.UTF_8)));
        c.send(OpCode.CONTINUATION, true, ByteBuffer.wrap("one-c".getBytes(StandardCharsets.UTF_8)));
        c.sendText("two");
        c.sendText("three");
        c.send(OpCode.BINARY, false, ByteBuffer.wrap(new byte[] {4}));
        c.send(OpCode.CONTINUATION, true, ByteBuffer.wrap(new byte[] {4}));

        assertThat(text(c.nextData())).isEqualTo("two");
        Frame four = c.nextData();
        assertThat(four.getOpCode()).isEqualTo(OpCode.BINARY);
        assertThat(four.isFin()).isFalse();
        assertThat(c.nextData().isFin()).isTrue();
        assertThat(gateway.gateway().pairs()).singleElement()
                .satisfies(p -> assertThat(p.messages(Direction.CLIENT_TO_BACKEND)).as("counted as received").isEqualTo(4));
        c.session.close(1000, "", Callback.NOOP);
        assertThat(c.awaitClosed().getCode()).isEqualTo(1000);
        List<Frame> seen = new ArrayList<>(backend.frames);
        assertThat(seen.stream().filter(Frame::isDataFrame).map(MessagePoliciesEndToEndTest::describe))
                .containsExactly("TEXT fin two", "BINARY \u0004", "CONTINUATION fin \u0004");
    }

    @Test
    void pingPongAndCloseGoPastPoliciesThatDropEveryDataFrame() throws Exception {
        List<FrameType> seen = Collections.synchronizedList(new ArrayList<>());
        MessagePolicy dropAll = (c, f) -> {
            seen.add(f.type());
            return MessageVerdict.drop();
        };
        startGateway(api("chat", "/chat", "/backend").onMessage(dropAll).build());
        RecordingClient c = connect();

        c.sendText("dropped");
        c.send(OpCode.PING, true, ByteBuffer.wrap("p".getBytes(StandardCharsets.UTF_8)));
        Frame pong = c.next();
        assertThat(pong.getOpCode()).isEqualTo(OpCode.PONG);
        assertThat(text(pong)).isEqualTo("p");
        c.session.close(4000, "bye", Callback.NOOP);
        assertThat(c.awaitClosed().getCode()).isEqualTo(4000);

        assertThat(seen).containsExactly(FrameType.UTF8_MESSAGE);
        assertThat(backend.closes.poll(10, TimeUnit.SECONDS).getCode()).isEqualTo(4000);
    }

    @Test
    void aThrowingPolicyClosesItsPairWith1011AndTheOtherPairsRelayOn() throws Exception {
        MessagePolicy throwing = (c, f) -> {
            if (StandardCharsets.UTF_8.decode(f.payload().duplicate()).toString().equals("boom")) {
                throw new IllegalStateException("a bug in the policy");
            }
            return MessageVerdict.forward();
        };
        startGateway(api("chat", "/chat", "/backend").onMessage(Direction.CLIENT_TO_BACKEND, throwing).build());
        RecordingClient bad = connect();
        RecordingClient good = connect();

        bad.sendText("boom");
        assertThat(bad.awaitClosed().getCode()).isEqualTo(1011);
        good.sendText("still here");
        assertThat(text(good.nextData())).isEqualTo("still here");
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.gateway().openPairs() == 1);
        good.session.close(1000, "", Callback.NOOP);
        assertThat(good.awaitClosed().getCode()).isEqualTo(1000);
    }

    @Test
    void perPairInstancesAreReleasedWhenTheirPairsEnd() throws Exception {
        AtomicInteger live = new AtomicInteger();
        AtomicInteger opened = new AtomicInteger();
        MessagePolicy counting = new MessagePolicy() {
            @Override
            public MessageVerdict onFrame(MessageContext context, io.wsgate.api.Frame frame) {
                return MessageVerdict.forward();
            }

            @Override
            public MessagePolicy open(ConnectionPair pair, Direction direction) {
                live.incrementAndGet();
                opened.incrementAndGet();
                return new MessagePolicy() {
                    @Override
                    public MessageVerdict onFrame(MessageContext context, io.wsgate.api.Frame frame) {
                        return MessageVerdict.forward();
                    }

                    @Override
                    public void closed(ConnectionPair p) {
                        live.decrementAndGet();
                    }
                };
            }
        };
        startGateway(api("chat", "/chat", "/backend").onMessage(counting).build());

        RecordingClient normal = connect();
        RecordingClient.echoOnce(client, gw("/chat"), "hi");
        normal.sendText("close:4001:backend closes");
        assertThat(normal.awaitClosed().getCode()).isEqualTo(4001);
        RecordingClient dropped = connect();
        dropped.sendText("drop"); // the backend drops its connection
        assertThat(dropped.awaitClosed().getCode()).isEqualTo(1011);

        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.gateway().openPairs() == 0);
        assertThat(opened).hasValue(6);
        assertThat(live).hasValue(0);
    }

    @Test
    void anAsynchronousPolicyUnderAFloodKeepsTheGatewaysMemoryBounded() throws Exception {
        long total = 64L * 1024 * 1024;
        long socketBuffers = 24L * 1024 * 1024;
        MessagePolicy async = (c, f) -> MessageVerdict.later(CompletableFuture.supplyAsync(MessageVerdict::forward, elsewhere));
        startGateway(api("chat", "/chat", "/backend").onMessage(async).build());
        SlowReaderTest.SlowClient slow = new SlowReaderTest.SlowClient();
        slow.backendSent = backend.sentBytes;
        client.connect(CoreClientUpgradeRequest.from(client, URI.create(gw("/chat")), slow)).get(10, TimeUnit.SECONDS);
        Callback.Completable sent = new Callback.Completable();
        slow.session.sendFrame(new Frame(OpCode.TEXT, true, ByteBuffer.wrap(("send:" + total).getBytes(StandardCharsets.UTF_8))),
                sent, false);
        sent.get(10, TimeUnit.SECONDS);

        AtomicLong last = new AtomicLong(-1);
        AtomicInteger still = new AtomicInteger();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> backend.sentBytes.get() >= total || heldBack(last, still));
        assertThat(backend.sentBytes.get()).as("bytes the backend could push past a client that reads nothing")
                .isPositive().isLessThan(socketBuffers);
        assertThat(slow.received.get()).isZero();

        slow.flowing = true;
        slow.read(1);
        assertThat(slow.all.get(60, TimeUnit.SECONDS)).isEqualTo(total);
        assertThat(slow.maxGap.get()).isLessThan(socketBuffers);
        slow.session.close(1000, "", Callback.NOOP);
        slow.read(1);
        assertThat(slow.closed.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(1000);
    }

    /** As {@link SlowReaderTest}: the backend has sent something, a write of its waits, and its count stays still. */
    private boolean heldBack(AtomicLong last, AtomicInteger still) {
        long sent = backend.sentBytes.get();
        boolean waiting = backend.startedBytes.get() > sent;
        if (sent == 0 || !waiting || last.getAndSet(sent) != sent) {
            still.set(0);
            return false;
        }
        return still.incrementAndGet() >= 3;
    }
}
