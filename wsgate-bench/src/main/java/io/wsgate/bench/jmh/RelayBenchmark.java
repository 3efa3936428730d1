package io.wsgate.bench.jmh;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.ApiLimits;
import io.wsgate.api.Completion;
import io.wsgate.api.Direction;
import io.wsgate.api.Frame;
import io.wsgate.api.FrameType;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.DrainOptions;
import io.wsgate.core.Gateway;
import io.wsgate.core.GatewayConfig;
import io.wsgate.core.transport.BackendOutcome;
import io.wsgate.core.transport.ClientHandshake;
import io.wsgate.core.transport.ErrorResponse;
import io.wsgate.core.transport.PairRelay;
import io.wsgate.core.transport.TransportSide;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One frame through an established pair's {@link PairRelay}: {@code forward} from the client, the backend
 * side's transport "writes" it at once and completes. Measures the relay's own cost per frame (UTF-8
 * validation of text, the size check, counters, the completion hand-back), without any network, handshake
 * or adapter.
 *
 * <p>The pair is established the way a transport adapter establishes one, through the public ports only:
 * a {@link Gateway} with one API and no policy takes one handshake ({@link Gateway#handshake}), its
 * {@link io.wsgate.core.transport.BackendConnector} answering at once with a backend side and its
 * {@link ClientHandshake} upgrading at once to a client side; the gateway then gives both sides the pair's
 * relay ({@link TransportSide#start}), which is what each benchmark call drives.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RelayBenchmark {

    /** Message size in bytes. */
    @Param({"64", "16384"})
    public int size;

    private Gateway gateway;
    private PairRelay relay;
    private ByteBuffer payload;
    private Blackhole sink;

    /** A transport that writes nothing and completes at once; it hands on the relay it is started with. */
    private final class InstantSide implements TransportSide {
        final CompletableFuture<PairRelay> started = new CompletableFuture<>();

        @Override
        public void start(PairRelay relay) {
            started.complete(relay);
        }

        @Override
        public void send(Frame frame, Completion done) {
            sink.consume(frame.length());
            done.succeeded();
        }

        @Override
        public void ping(ByteBuffer ping) {
        }

        @Override
        public void close(int code, String reason) {
        }

        @Override
        public void abort() {
        }
    }

    /** The client's upgrade: succeeds at once onto the given side, or records the gateway's refusal. */
    private static final class InstantUpgrade implements ClientHandshake {
        /** Completes with the client's side when upgraded, exceptionally when refused. */
        final CompletableFuture<TransportSide> side = new CompletableFuture<>();
        private final TransportSide client;

        InstantUpgrade(TransportSide client) {
            this.client = client;
        }

        @Override
        public void reject(ErrorResponse response) {
            side.completeExceptionally(new IllegalStateException(
                    "the gateway refused the benchmark's handshake: " + response.status() + " " + response.code()));
        }

        @Override
        public CompletionStage<TransportSide> upgrade(String subprotocol, ApiLimits limits) {
            side.complete(client);
            return side;
        }
    }

    /**
     * Establishes the pair through a gateway and fills the payload.
     *
     * @param blackhole JMH's sink for the frames "written"
     * @throws Exception when the gateway does not establish the pair
     */
    @Setup
    public void setUp(Blackhole blackhole) throws Exception {
        this.sink = blackhole;
        ApiDefinition api = ApiDefinition.builder("bench").backend("ws://127.0.0.1:9/echo").urlSuffix("/echo").build();
        gateway = Gateway.create(GatewayConfig.builder().api(api).build());
        HandshakeRequest request = HandshakeRequest.builder().method("GET").path("/echo")
                .header("Host", "127.0.0.1").header("Upgrade", "websocket").header("Connection", "Upgrade")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .clientAddress(new InetSocketAddress("127.0.0.1", 40000)).build();
        InstantSide client = new InstantSide();
        InstantSide backend = new InstantSide();
        InstantUpgrade upgrade = new InstantUpgrade(client);
        gateway.handshake(request, "/echo", upgrade,
                (backendRequest, limits) -> CompletableFuture.completedFuture(BackendOutcome.connected(backend, "")));
        upgrade.side.get(10, TimeUnit.SECONDS);
        relay = backend.started.get(10, TimeUnit.SECONDS);
        if (client.started.get(10, TimeUnit.SECONDS) != relay) {
            throw new IllegalStateException("the gateway started the two sides with different relays");
        }
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) 'a');
        byte[] json = "{\"type\":\"quote\",\"symbol\":\"ACME\",\"price\":12.5}".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(json, 0, bytes, 0, Math.min(json.length, size));
        payload = ByteBuffer.wrap(bytes);
    }

    /** Drains the gateway: the pair is closed, then aborted at once (both sides' transports do nothing). */
    @TearDown
    public void tearDown() {
        gateway.drain(DrainOptions.ofDefaults().withTimeout(Duration.ofMillis(1)));
    }

    /**
     * @param bh JMH's sink
     */
    @Benchmark
    public void textMessage(Blackhole bh) {
        relay.forward(Direction.CLIENT_TO_BACKEND, new Frame(FrameType.UTF8_MESSAGE, payload.duplicate(), true, true),
                Completion.NOOP);
    }

    /**
     * @param bh JMH's sink
     */
    @Benchmark
    public void binaryMessage(Blackhole bh) {
        relay.forward(Direction.CLIENT_TO_BACKEND, new Frame(FrameType.BINARY_MESSAGE, payload.duplicate(), true, true),
                Completion.NOOP);
    }
}
