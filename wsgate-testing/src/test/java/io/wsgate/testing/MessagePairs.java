package io.wsgate.testing;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.ApiLimits;
import io.wsgate.api.Completion;
import io.wsgate.api.ConnectionPair;
import io.wsgate.api.Direction;
import io.wsgate.api.Frame;
import io.wsgate.api.FrameType;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.api.MessageContext;
import io.wsgate.api.MessagePolicy;
import io.wsgate.api.MessageVerdict;
import io.wsgate.core.Gateway;
import io.wsgate.core.GatewayConfig;
import io.wsgate.core.GatewayListener;
import io.wsgate.core.PairEnd;
import io.wsgate.core.transport.BackendOutcome;
import io.wsgate.core.transport.PairRelay;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** A gateway on a manual clock whose API has the test's message policies, and pairs established on recording sides. */
final class MessagePairs {

    /** Records how a completion completed. */
    static final class Done implements Completion {
        volatile int succeeded;
        volatile Throwable failed;

        @Override
        public void succeeded() {
            succeeded++;
        }

        @Override
        public void failed(Throwable cause) {
            failed = cause;
        }
    }

    /** One established pair. */
    record Pair(PairRelay relay, RecordingTransportSide client, RecordingTransportSide backend) {
        Done forward(Direction d, Frame f) {
            Done done = new Done();
            relay.forward(d, f, done);
            return done;
        }

        Done fromClient(Frame f) {
            return forward(Direction.CLIENT_TO_BACKEND, f);
        }

        Done fromBackend(Frame f) {
            return forward(Direction.BACKEND_TO_CLIENT, f);
        }
    }

    /** A policy that counts its per-pair instances: opened, closed, and those closed twice. */
    static final class Counting implements MessagePolicy {
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        final AtomicInteger closedTwice = new AtomicInteger();
        final List<String> seen = Collections.synchronizedList(new ArrayList<>());

        @Override
        public MessageVerdict onFrame(MessageContext context, Frame frame) {
            throw new AssertionError("the factory instance never sees a frame");
        }

        @Override
        public MessagePolicy open(ConnectionPair pair, Direction direction) {
            opened.incrementAndGet();
            AtomicInteger mine = new AtomicInteger();
            return new MessagePolicy() {
                @Override
                public MessageVerdict onFrame(MessageContext context, Frame frame) {
                    seen.add(context.pair().id() + " " + direction + " " + frame.type());
                    return MessageVerdict.forward();
                }

                @Override
                public void closed(ConnectionPair p) {
                    if (mine.incrementAndGet() > 1) {
                        closedTwice.incrementAndGet();
                    }
                    closed.incrementAndGet();
                }
            };
        }

        /** @return instances open now */
        int live() {
            return opened.get() - closed.get();
        }
    }

    final ManualScheduler time = ManualScheduler.startingAt(Instant.parse("2030-01-01T00:00:00Z"));
    final List<PairEnd> ends = Collections.synchronizedList(new ArrayList<>());
    final Gateway gateway;

    /** @param api adds the test's policies (and limits) to an API "echo" with a 100-byte message limit */
    MessagePairs(UnaryOperator<ApiDefinition.Builder> api) {
        this(GatewayConfig.builder().api(api.apply(ApiDefinition.builder("echo").backend("ws://127.0.0.1:1/").urlSuffix("/echo")
                .limits(ApiLimits.ofDefaults().withMaxMessageSize(100))).build()));
    }

    /** @param config a configuration (with an API on {@code /echo}) to build on, given the test's clock and scheduler */
    MessagePairs(GatewayConfig config) {
        this(config.toBuilder());
    }

    private MessagePairs(GatewayConfig.Builder config) {
        GatewayListener listener = new GatewayListener() {
            @Override
            public void pairClosed(ConnectionPair pair, PairEnd end) {
                ends.add(end);
            }
        };
        gateway = Gateway.create(config.clock(time.clock()).scheduler(time).build(), List.of(listener));
    }

    Pair open() {
        return open(RecordingTransportSide.create(), RecordingTransportSide.create());
    }

    Pair open(RecordingTransportSide client, RecordingTransportSide backend) {
        HandshakeRequest request = HandshakeRequest.builder().path("/echo")
                .header("Upgrade", "websocket").header("Connection", "Upgrade")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").build();
        gateway.handshake(request, "/echo", RecordingClientHandshake.upgradingTo(client),
                ScriptedBackends.answering(BackendOutcome.connected(backend, "")));
        assertThat(backend.relay()).isEqualTo(client.relay());
        return new Pair(client.relay().orElseThrow(() -> new AssertionError("the pair was not established")), client, backend);
    }

    /** Asserts that nothing of the gateway's is left. */
    void assertNothingLeft() {
        assertThat(gateway.openPairs()).isZero();
        assertThat(gateway.pendingHandshakes()).isZero();
        assertThat(gateway.pairDeadlines()).isZero();
    }

    static Frame text(String s) {
        return new Frame(FrameType.UTF8_MESSAGE, utf8(s), true, true);
    }

    static Frame textFragment(String s, boolean first, boolean last) {
        return new Frame(FrameType.UTF8_FRAGMENT, utf8(s), first, last);
    }

    static Frame binary(int n) {
        return new Frame(FrameType.BINARY_MESSAGE, ByteBuffer.allocate(n), true, true);
    }

    static Frame binaryFragment(int n, boolean first, boolean last) {
        return new Frame(FrameType.BINARY_FRAGMENT, ByteBuffer.allocate(n), first, last);
    }

    static Frame control(FrameType type) {
        return new Frame(type, ByteBuffer.allocate(2), true, true);
    }

    static Frame close(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(2 + r.length);
        b.putShort((short) code).put(r).flip();
        return new Frame(FrameType.CLOSE, b, true, true);
    }

    static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    static String string(Frame f) {
        return StandardCharsets.UTF_8.decode(f.payload().duplicate()).toString();
    }
}
