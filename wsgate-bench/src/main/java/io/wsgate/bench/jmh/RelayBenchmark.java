package io.wsgate.bench.jmh;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.Completion;
import io.wsgate.api.Direction;
import io.wsgate.api.Frame;
import io.wsgate.api.FrameType;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.transport.TransportSide;
import io.wsgate.core.internal.relay.DefaultPairRelay;
import io.wsgate.core.internal.relay.PairInfo;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One frame through {@link DefaultPairRelay}: forward from the client, the other side's transport
 * "writes" it at once and completes. Measures the relay's own cost per frame (UTF-8 validation of
 * text, counters, the completion hand-back), without any network.
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

    private DefaultPairRelay relay;
    private ByteBuffer payload;
    private Blackhole sink;

    /** A transport that writes nothing and completes at once. */
    private final class InstantSide implements TransportSide {
        @Override
        public void start(io.wsgate.core.transport.PairRelay relay) {
        }

        @Override
        public void send(Frame frame, Completion done) {
            sink.consume(frame.length());
            done.succeeded();
        }

        @Override
        public void close(int code, String reason) {
        }

        @Override
        public void abort() {
        }
    }

    /**
     * @param blackhole JMH's sink for the frames "written"
     */
    @Setup
    public void setUp(Blackhole blackhole) {
        this.sink = blackhole;
        ApiDefinition api = ApiDefinition.builder("bench").backend("ws://127.0.0.1:9/echo").urlSuffix("/echo").build();
        HandshakeRequest request = HandshakeRequest.builder().method("GET").path("/echo")
                .header("Host", "127.0.0.1").clientAddress(new InetSocketAddress("127.0.0.1", 40000)).build();
        PairInfo info = new PairInfo("c-1", "r-1", api, request, URI.create("ws://127.0.0.1:9/echo"), "", Map.of(),
                Instant.now(), 1, Clock.systemUTC());
        relay = new DefaultPairRelay(info, new InstantSide(), new InstantSide(), (pair, end) -> { });
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) 'a');
        byte[] json = "{\"type\":\"quote\",\"symbol\":\"ACME\",\"price\":12.5}".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(json, 0, bytes, 0, Math.min(json.length, size));
        payload = ByteBuffer.wrap(bytes);
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
