package io.wsgate.bench.jmh;

import io.wsgate.api.ConnectionPair;
import io.wsgate.api.Direction;
import io.wsgate.api.Frame;
import io.wsgate.api.FrameType;
import io.wsgate.api.MessageContext;
import io.wsgate.api.MessagePolicy;
import io.wsgate.api.MessageVerdict;
import io.wsgate.core.policy.limit.RateKey;
import io.wsgate.core.policy.message.MessageRateLimit;
import io.wsgate.core.policy.message.MessageSizeLimit;
import io.wsgate.core.policy.message.MessageTypes;
import io.wsgate.core.policy.message.ValidateJson;
import io.wsgate.testing.MessagePolicyTester;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The cost per message of the built-in message policies: one 64-byte text message (one frame) through the
 * instances {@link MessagePolicy#open} made for a pair, calling {@code onFrame} directly with a context reused
 * for every call, as the relay does. {@code rateLimitAndTypes} is the pair the issue sets a budget for (under
 * 1 µs): message-rate-limit per pair (never exceeded here) then message-types; the others are for comparison.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MessagePolicyBenchmark {

    /** More messages per second than one thread can send: the limit is never reached. */
    private static final long PLENTY = 100_000_000L;

    private final Context context = new Context();
    private Frame text;
    private Frame json;
    private MessagePolicy rate;
    private MessagePolicy rateByKey;
    private MessagePolicy types;
    private MessagePolicy size;
    private MessagePolicy validateJson;

    /** Opens every policy on one pair, once. */
    @Setup
    public void setUp() {
        ConnectionPair pair = MessagePolicyTester.create().open((MessagePolicy) (c, f) -> MessageVerdict.forward())
                .connectionPair();
        context.pair = pair;
        text = frame("x".repeat(64));
        json = frame("{\"type\":\"chat\",\"room\":\"lobby\",\"text\":\"hello, world! 0123456789\"}");
        rate = MessageRateLimit.builder(PLENTY, Duration.ofSeconds(1)).build().open(pair, Direction.CLIENT_TO_BACKEND);
        rateByKey = MessageRateLimit.builder(PLENTY, Duration.ofSeconds(1)).key(RateKey.clientIp()).build()
                .open(pair, Direction.CLIENT_TO_BACKEND);
        types = MessageTypes.accepting(MessageTypes.Type.TEXT).open(pair, Direction.CLIENT_TO_BACKEND);
        size = MessageSizeLimit.of(4096).open(pair, Direction.CLIENT_TO_BACKEND);
        validateJson = ValidateJson.builder().maxDepth(8).build().open(pair, Direction.CLIENT_TO_BACKEND);
        if (rateLimitAndTypes() != MessageVerdict.forward() || validateJson() != MessageVerdict.forward()) {
            throw new IllegalStateException("the benchmark's message must be forwarded");
        }
    }

    private static Frame frame(String message) {
        ByteBuffer payload = ByteBuffer.allocateDirect(64);
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        if (bytes.length != 64) {
            throw new IllegalStateException("a 64-byte message, not " + bytes.length);
        }
        payload.put(bytes).flip();
        return new Frame(FrameType.UTF8_MESSAGE, payload, true, true);
    }

    /** @return the verdict of message-rate-limit (per pair), then message-types */
    @Benchmark
    public MessageVerdict rateLimitAndTypes() {
        context.next(text);
        MessageVerdict v = rate.onFrame(context, text);
        return v == MessageVerdict.forward() ? types.onFrame(context, text) : v;
    }

    /** @return the verdict of message-rate-limit by client address (buckets shared across pairs), then message-types */
    @Benchmark
    public MessageVerdict rateLimitByKeyAndTypes() {
        context.next(text);
        MessageVerdict v = rateByKey.onFrame(context, text);
        return v == MessageVerdict.forward() ? types.onFrame(context, text) : v;
    }

    /** @return the verdict of message-size-limit */
    @Benchmark
    public MessageVerdict sizeLimit() {
        context.next(text);
        return size.onFrame(context, text);
    }

    /** @return the verdict of validate-json (maxDepth 8) on a 64-byte JSON object */
    @Benchmark
    public MessageVerdict validateJson() {
        context.next(json);
        return validateJson.onFrame(context, json);
    }

    /** The relay's reused view: one message of one frame after another. */
    private static final class Context implements MessageContext {
        private ConnectionPair pair;
        private long bytes;
        private long before;

        void next(Frame frame) {
            before++;
            bytes = frame.length();
        }

        @Override
        public ConnectionPair pair() {
            return pair;
        }

        @Override
        public Direction direction() {
            return Direction.CLIENT_TO_BACKEND;
        }

        @Override
        public boolean text() {
            return true;
        }

        @Override
        public long messageBytes() {
            return bytes;
        }

        @Override
        public long messagesBefore() {
            return before;
        }
    }
}
