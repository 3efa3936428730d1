package io.wsgate.testing;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.ConnectionPair;
import io.wsgate.api.Direction;
import io.wsgate.api.Frame;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.api.MessagePolicy;
import io.wsgate.api.MessageVerdict;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs a {@link MessagePolicy}, or a list of them as one chain, on the frames of a pair, without a server, the way
 * the gateway's relay does: {@link MessagePolicy#open} once per policy and direction when the pair opens, every data
 * frame through the chain in order (the first verdict other than forward ends it; a replacement is what the next
 * policy sees; dropping a message's first frame drops its continuations unseen, dropping a later fragment relays an
 * empty one; a {@code later} verdict is awaited up to the timeout), and {@link MessagePolicy#closed} exactly once
 * per instance when the pair ends (a close verdict, a throwing policy: 1011, or {@link Pair#end()}).
 *
 * <pre>{@code
 * MessagePolicyTester tester = MessagePolicyTester.create();
 * MessagePolicy limit = MessageRateLimit.builder(2, Duration.ofSeconds(1)).clock(tester.clock()).build();
 * MessagePolicyTester.Pair pair = tester.open(limit);
 * assertThat(pair.inbound().text("a").kind()).isEqualTo(MessageVerdict.Kind.FORWARD);
 * pair.inbound().text("b");
 * assertThat(pair.inbound().text("c").closeCode()).isEqualTo(1008);   // the third in the same second
 * assertThat(pair.isClosed()).isTrue();
 * assertThat(pair.openInstances()).isZero();                            // closed() was called on each instance
 * }</pre>
 *
 * <p>The tester is immutable (the {@code with...} methods return a new one sharing the same clock); the pairs it
 * opens are used on one thread, the test's. Its clock starts at 2026-01-01T00:00:00Z and moves only with
 * {@link #advance}.
 */
public final class MessagePolicyTester {

    private final ApiDefinition api;
    private final HandshakeRequest request;
    private final Map<String, Object> attributes;
    private final Duration timeout;
    private final ManualScheduler time;
    private final int[] pairs;

    private MessagePolicyTester(ApiDefinition api, HandshakeRequest request, Map<String, Object> attributes,
                                Duration timeout, ManualScheduler time, int[] pairs) {
        this.api = api;
        this.request = request;
        this.attributes = Map.copyOf(attributes);
        this.timeout = timeout;
        this.time = time;
        this.pairs = pairs;
    }

    /** @return a tester for {@link PolicyTester#TEST_API}, a plain request from 127.0.0.1 and no attribute */
    public static MessagePolicyTester create() {
        return new MessagePolicyTester(PolicyTester.TEST_API, HandshakeRequest.builder().build(), Map.of(),
                Duration.ofSeconds(5), ManualScheduler.startingAt(Instant.parse("2026-01-01T00:00:00Z")), new int[1]);
    }

    /** @return this tester opening pairs of another API */
    public MessagePolicyTester withApi(ApiDefinition api) {
        return new MessagePolicyTester(Objects.requireNonNull(api, "api"), request, attributes, timeout, time, pairs);
    }

    /** @return this tester opening pairs on another handshake request (its client address, headers...) */
    public MessagePolicyTester withRequest(HandshakeRequest request) {
        return new MessagePolicyTester(api, Objects.requireNonNull(request, "request"), attributes, timeout, time, pairs);
    }

    /** @return this tester opening pairs with one more attribute (e.g. the claims validate-jwt leaves) */
    public MessagePolicyTester withAttribute(String name, Object value) {
        Map<String, Object> map = new HashMap<>(attributes);
        map.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new MessagePolicyTester(api, request, map, timeout, time, pairs);
    }

    /** @return this tester waiting at most that long for a {@code later} verdict (default 5 s) before failing */
    public MessagePolicyTester withTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        return new MessagePolicyTester(api, request, attributes, timeout, time, pairs);
    }

    /** @return the clock to build time-based policies with (it moves only with {@link #advance}) */
    public Clock clock() {
        return time.clock();
    }

    /** @return the scheduler behind the clock, for policies that schedule */
    public ManualScheduler scheduler() {
        return time;
    }

    /** Moves the clock (and runs the scheduler's tasks that fall due, on the calling thread). */
    public void advance(Duration by) {
        time.advance(by);
    }

    /**
     * Opens a pair with one policy on both directions.
     *
     * @param policy the policy
     * @return the open pair
     */
    public Pair open(MessagePolicy policy) {
        return open(List.of(policy));
    }

    /**
     * Opens a pair with one chain on both directions.
     *
     * @param chain the policies, in order
     * @return the open pair
     */
    public Pair open(List<MessagePolicy> chain) {
        return open(chain, chain);
    }

    /**
     * Opens a pair with a chain per direction.
     *
     * @param inbound  the policies on client-to-backend frames, in order
     * @param outbound the policies on backend-to-client frames, in order
     * @return the open pair
     */
    public Pair open(List<MessagePolicy> inbound, List<MessagePolicy> outbound) {
        return new Pair(this, List.copyOf(inbound), List.copyOf(outbound));
    }

    /** A pair under test: feed frames to each side, then end it (or let a verdict end it). Test thread only. */
    public static final class Pair {
        private final TestConnectionPair pair;
        private final Side inbound;
        private final Side outbound;
        private int openInstances;
        private MessageVerdict closeVerdict;
        private Direction closedFrom;
        private Throwable failure;

        private Pair(MessagePolicyTester t, List<MessagePolicy> in, List<MessagePolicy> out) {
            int n = ++t.pairs[0];
            this.pair = new TestConnectionPair("test-pair-" + n, "test-request-" + n, t.api, t.request, t.attributes,
                    t.time.now(), (code, reason) -> end(null, MessageVerdict.close(code, reason), null));
            this.inbound = new Side(new DirectionRun(Direction.CLIENT_TO_BACKEND, pair, opened(in, Direction.CLIENT_TO_BACKEND),
                    t.timeout, this::end));
            this.outbound = new Side(new DirectionRun(Direction.BACKEND_TO_CLIENT, pair, opened(out, Direction.BACKEND_TO_CLIENT),
                    t.timeout, this::end));
        }

        private List<MessagePolicy> opened(List<MessagePolicy> chain, Direction direction) {
            List<MessagePolicy> out = new ArrayList<>();
            for (MessagePolicy p : chain) {
                MessagePolicy instance = Objects.requireNonNull(p.open(pair, direction), () -> p + " opened no instance");
                out.add(instance);
                openInstances++;
            }
            return List.copyOf(out);
        }

        private void end(Direction from, MessageVerdict close, Throwable cause) {
            if (pair.isClosed()) {
                return;
            }
            pair.markClosed();
            closeVerdict = close;
            closedFrom = from;
            failure = cause;
            for (Side s : List.of(inbound, outbound)) {
                for (MessagePolicy p : s.run.instances()) {
                    p.closed(pair);
                    openInstances--;
                }
            }
        }

        /** @return the client-to-backend side */
        public Side inbound() {
            return inbound;
        }

        /** @return the backend-to-client side */
        public Side outbound() {
            return outbound;
        }

        /** @return the pair as the policies see it (its counts are the messages and bytes relayed) */
        public ConnectionPair connectionPair() {
            return pair;
        }

        /** Ends the pair normally (as a 1000 close would): {@code closed} on every instance; later calls do nothing. */
        public void end() {
            end(null, null, null);
        }

        /** @return true once the pair has ended */
        public boolean isClosed() {
            return pair.isClosed();
        }

        /** @return the instances opened whose {@code closed} has not been called yet (0 once the pair ended) */
        public int openInstances() {
            return openInstances;
        }

        /** @return the close verdict that ended the pair (a policy's, or 1011 for a failing one); null otherwise */
        public MessageVerdict closeVerdict() {
            return closeVerdict;
        }

        /** @return the direction whose frame's verdict closed the pair; null when it did not end so */
        public Direction closedFrom() {
            return closedFrom;
        }

        /** @return what a policy threw (or its stage failed with), when that closed the pair with 1011; else null */
        public Throwable failure() {
            return failure;
        }
    }

    /** One direction of a {@link Pair}: what its sender sends, and what was relayed. */
    public static final class Side {
        private final DirectionRun run;

        private Side(DirectionRun run) {
            this.run = run;
        }

        /** @return the chain's verdict on a whole text message */
        public MessageVerdict text(String message) {
            return frame(Frames.text(message));
        }

        /** @return the chain's verdict on a whole binary message */
        public MessageVerdict binary(byte[] message) {
            return frame(Frames.binary(message));
        }

        /** Sends a text message in fragments (each part's UTF-8); @return the verdict on each fragment */
        public List<MessageVerdict> textFragments(String... parts) {
            return fragments(true, Frames.utf8(parts));
        }

        /** Sends a message in fragments of these bytes (split anywhere, even inside a UTF-8 character). */
        public List<MessageVerdict> fragments(boolean text, byte[]... parts) {
            List<Frame> frames = Frames.fragments(text, parts);
            List<MessageVerdict> verdicts = new ArrayList<>();
            for (Frame f : frames) {
                if (run.pairClosed()) {
                    break;
                }
                verdicts.add(frame(f));
            }
            return List.copyOf(verdicts);
        }

        /**
         * @param frame a data frame (its payload is not kept)
         * @return the chain's verdict: forward, replace (with the payload relayed), drop (also for a continuation
         *         of a dropped message, not shown to the policies) or close (the pair has ended)
         * @throws IllegalStateException once the pair has ended
         */
        public MessageVerdict frame(Frame frame) {
            return run.frame(frame);
        }

        /** @return the frames relayed to the other side so far (copies; a dropped fragment as an empty one) */
        public List<Frame> relayed() {
            return run.relayed();
        }

        /** @return the text messages relayed so far, whole (fragments joined) */
        public List<String> relayedText() {
            return Frames.joinText(run.relayed());
        }
    }
}
