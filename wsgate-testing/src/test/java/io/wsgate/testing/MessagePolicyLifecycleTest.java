package io.wsgate.testing;

import io.wsgate.api.ApiLimits;
import io.wsgate.api.CloseCause;
import io.wsgate.api.ConnectionPair;
import io.wsgate.api.Direction;
import io.wsgate.api.Frame;
import io.wsgate.api.MessageContext;
import io.wsgate.api.MessagePolicy;
import io.wsgate.api.MessageVerdict;
import io.wsgate.core.DrainOptions;
import io.wsgate.core.transport.Peer;
import io.wsgate.core.transport.SideEnd;
import io.wsgate.testing.MessagePairs.Counting;
import io.wsgate.testing.MessagePairs.Done;
import io.wsgate.testing.MessagePairs.Pair;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static io.wsgate.testing.MessagePairs.binary;
import static io.wsgate.testing.MessagePairs.close;
import static io.wsgate.testing.MessagePairs.string;
import static io.wsgate.testing.MessagePairs.text;
import static io.wsgate.testing.MessagePairs.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Message policies over a pair's life: asynchronous verdicts and the one-frame-in-flight bound, policies that fail
 * (closing their pair only), and per-pair instances, opened when a pair opens and closed exactly once on every ending.
 */
class MessagePolicyLifecycleTest {

    /** A policy whose every verdict waits for the stage the test completes. */
    static final class Waiting implements MessagePolicy {
        final AtomicReference<CompletableFuture<MessageVerdict>> stage = new AtomicReference<>();

        @Override
        public MessageVerdict onFrame(MessageContext context, Frame frame) {
            CompletableFuture<MessageVerdict> s = new CompletableFuture<>();
            if (!stage.compareAndSet(null, s)) {
                throw new AssertionError("a second frame was shown while one was pending");
            }
            return MessageVerdict.later(s);
        }

        void complete(MessageVerdict v) {
            stage.getAndSet(null).complete(v);
        }

        void fail(Throwable t) {
            stage.getAndSet(null).completeExceptionally(t);
        }
    }

    @Test
    void aLaterVerdictHoldsTheFrameUntilItsStageCompletesThenTheRestOfTheChainRuns() {
        Waiting waiting = new Waiting();
        MessagePolicy upper = (c, f) -> MessageVerdict.replace(utf8(string(f).toUpperCase(java.util.Locale.ROOT)));
        MessagePairs pairs = new MessagePairs(b -> b.onMessage(waiting, upper));
        Pair p = pairs.open();

        Done done = p.fromClient(text("hello"));
        assertThat(done.succeeded).as("the transport reads nothing more meanwhile").isZero();
        assertThat(p.backend().sent()).isEmpty();

        waiting.complete(MessageVerdict.forward());

        assertThat(done.succeeded).isEqualTo(1);
        assertThat(p.backend().sent()).singleElement().satisfies(f -> assertThat(string(f)).isEqualTo("HELLO"));
        Done next = p.fromClient(text("again"));
        waiting.complete(MessageVerdict.drop());
        assertThat(next.succeeded).isEqualTo(1);
        assertThat(p.backend().sent()).hasSize(1);
    }

    @Test
    void aLaterVerdictCompletedFromAnotherThreadIsCarriedOutThere() throws Exception {
        MessagePolicy async = (c, f) -> MessageVerdict.later(CompletableFuture.supplyAsync(MessageVerdict::forward));
        MessagePairs pairs = new MessagePairs(b -> b.onMessage(async));
        Pair p = pairs.open();

        CompletableFuture<String> relayedOn = new CompletableFuture<>();
        p.relay().forward(Direction.CLIENT_TO_BACKEND, text("x"), new io.wsgate.api.Completion() {
            @Override
            public void succeeded() {
                relayedOn.complete(Thread.currentThread().getName());
            }

            @Override
            public void failed(Throwable cause) {
                relayedOn.completeExceptionally(cause);
            }
        });

        assertThat(relayedOn.get(10, java.util.concurrent.TimeUnit.SECONDS)).isNotEqualTo(Thread.currentThread().getName());
        assertThat(p.backend().sent()).hasSize(1);
    }

    @Test
    void aFailedStageANullVerdictOrANestedLaterCloseThePairWith1011() {
        for (int i = 0; i < 3; i++) {
            Waiting waiting = new Waiting();
            MessagePairs pairs = new MessagePairs(b -> b.onMessage(waiting));
            Pair p = pairs.open();
            Done done = p.fromClient(text("x"));
            switch (i) {
                case 0 -> waiting.fail(new IllegalStateException("lookup failed"));
                case 1 -> waiting.complete(null);
                default -> waiting.complete(MessageVerdict.later(new CompletableFuture<>()));
            }
            assertThat(done.succeeded).isEqualTo(1);
            assertThat(p.backend().sent()).isEmpty();
            assertThat(p.client().closes()).as("case " + i).containsExactly("1011 Internal error");
            assertThat(p.backend().closes()).containsExactly("1011 Internal error");
        }
    }

    @Test
    void aThrowingPolicyClosesItsPairOnlyAndTheOthersRelayOn() {
        MessagePolicy throwing = (c, f) -> {
            if (string(f).equals("boom")) {
                throw new IllegalStateException("policy bug");
            }
            return MessageVerdict.forward();
        };
        MessagePairs pairs = new MessagePairs(b -> b.onMessage(throwing));
        Pair bad = pairs.open();
        Pair good = pairs.open();

        Done done = bad.fromClient(text("boom"));
        good.fromClient(text("fine"));

        assertThat(done.succeeded).isEqualTo(1);
        assertThat(bad.client().closes()).containsExactly("1011 Internal error");
        assertThat(bad.backend().closes()).containsExactly("1011 Internal error");
        assertThat(good.backend().sent()).hasSize(1);
        assertThat(good.client().closes()).isEmpty();
        bad.relay().ended(Peer.CLIENT, new SideEnd(SideEnd.Kind.CLOSED, 1011, ""));
        bad.relay().ended(Peer.BACKEND, new SideEnd(SideEnd.Kind.CLOSED, 1011, ""));
        assertThat(pairs.ends).singleElement().satisfies(e -> assertThat(e.cause()).isEqualTo(CloseCause.POLICY));
        assertThat(pairs.gateway.openPairs()).isEqualTo(1);
    }

    @Test
    void aNullVerdictClosesThePairWith1011() {
        MessagePairs pairs = new MessagePairs(b -> b.onMessage((c, f) -> null));
        Pair p = pairs.open();

        p.fromBackend(binary(1));

        assertThat(p.client().closes()).containsExactly("1011 Internal error");
    }

    @Test
    void everyPolicyIsOpenedPerPairAndDirectionAndClosedOnceOnEveryEnding() {
        Counting counting = new Counting();
        MessagePairs pairs = new MessagePairs(b -> b.onMessage(counting)
                .limits(ApiLimits.ofDefaults().withMaxMessageSize(100).withKeepAlive(Duration.ofSeconds(10), Duration.ofSeconds(5))));

        Pair normal = pairs.open();
        assertThat(counting.opened).as("one instance per direction").hasValue(2);
        normal.fromClient(text("a"));
        normal.fromClient(close(1000, "bye"));
        normal.fromBackend(close(1000, "bye"));
        normal.relay().ended(Peer.CLIENT, new SideEnd(SideEnd.Kind.CLOSED, 1000, "bye"));
        normal.relay().ended(Peer.BACKEND, new SideEnd(SideEnd.Kind.CLOSED, 1000, "bye"));
        assertThat(counting.live()).isZero();

        Pair disconnected = pairs.open();
        disconnected.relay().ended(Peer.BACKEND, new SideEnd(SideEnd.Kind.DISCONNECTED, 1006, ""));
        disconnected.relay().ended(Peer.CLIENT, new SideEnd(SideEnd.Kind.CLOSED, 1011, ""));
        assertThat(counting.live()).isZero();

        Pair tooBig = pairs.open();
        tooBig.fromClient(binary(101));
        tooBig.relay().ended(Peer.CLIENT, new SideEnd(SideEnd.Kind.CLOSED, 1009, ""));
        tooBig.relay().ended(Peer.BACKEND, new SideEnd(SideEnd.Kind.CLOSED, 1001, ""));
        assertThat(counting.live()).isZero();

        Pair aborted = pairs.open();
        aborted.relay().abort(CloseCause.FAILED);
        assertThat(counting.live()).isZero();

        Pair silent = pairs.open();
        pairs.time.advance(Duration.ofSeconds(10)); // pinged
        pairs.time.advance(Duration.ofSeconds(5));  // no answer: the keepalive drops the client
        assertThat(silent.client().closes()).contains(RecordingTransportSide.ABORT);
        silent.relay().ended(Peer.CLIENT, new SideEnd(SideEnd.Kind.DISCONNECTED, 1006, ""));
        silent.relay().ended(Peer.BACKEND, new SideEnd(SideEnd.Kind.CLOSED, 1001, ""));
        assertThat(counting.live()).isZero();

        pairs.open();
        pairs.open();
        assertThat(counting.live()).isEqualTo(4);
        var drained = pairs.gateway.drain(DrainOptions.ofDefaults().withTimeout(Duration.ofSeconds(1))).toCompletableFuture();
        pairs.time.advance(Duration.ofSeconds(2)); // nobody answered the drain's close: aborted at the timeout
        assertThat(drained).isDone();

        assertThat(counting.live()).isZero();
        assertThat(counting.closedTwice).hasValue(0);
        assertThat(counting.opened).hasValue(14);
        pairs.assertNothingLeft();
    }

    @Test
    void aPairThatEndsWhileAStageIsPendingLetsTheFrameGoClosesItsInstancesAndIgnoresTheLateVerdict() {
        Waiting waiting = new Waiting();
        Counting counting = new Counting();
        MessagePairs pairs = new MessagePairs(b -> b.onMessage(waiting, counting));
        Pair p = pairs.open();

        Done held = p.fromClient(text("x"));
        p.relay().abort(CloseCause.FAILED);

        assertThat(held.succeeded).as("the held frame is let go").isEqualTo(1);
        assertThat(counting.live()).isZero();
        waiting.complete(MessageVerdict.forward());
        assertThat(held.succeeded).isEqualTo(1);
        assertThat(p.backend().sent()).isEmpty();
        assertThat(counting.seen).isEmpty();
        pairs.assertNothingLeft();
    }

    @Test
    void aPairThatEndsWhileThePolicyRunsNeitherHoldsItsFrameNorClosesItsInstancesTwice() {
        Counting counting = new Counting();
        MessagePolicy endsThePair = (c, f) -> {
            ((io.wsgate.core.transport.PairRelay) c.pair()).abort(CloseCause.FAILED);
            return MessageVerdict.later(new CompletableFuture<>()); // never completes
        };
        MessagePairs pairs = new MessagePairs(b -> b.onMessage(counting).onMessage(Direction.CLIENT_TO_BACKEND, endsThePair));
        Pair p = pairs.open();

        Done done = p.fromClient(text("x"));

        assertThat(done.succeeded).isEqualTo(1);
        assertThat(counting.live()).isZero();
        assertThat(counting.closedTwice).hasValue(0);
        pairs.assertNothingLeft();
    }

    @Test
    void aCloseFromTheOtherSideLetsAHeldFrameGoSoThatItsSideCanAnswer() {
        Waiting waiting = new Waiting();
        MessagePairs pairs = new MessagePairs(b -> b.onMessage(Direction.CLIENT_TO_BACKEND, waiting));
        Pair p = pairs.open();

        Done held = p.fromClient(text("x"));
        p.fromBackend(close(1000, "done"));

        assertThat(held.succeeded).isEqualTo(1);
        assertThat(p.client().sent()).extracting(Frame::closeCode).containsExactly(1000);
        p.fromClient(close(1000, "done"));
        assertThat(p.backend().sent()).extracting(Frame::closeCode).containsExactly(1000);
    }

    @Test
    void aPolicyWhoseOpenThrowsClosesThePairWith1011AndTheOpenedOnesAreClosed() {
        Counting counting = new Counting();
        MessagePolicy badOpen = new MessagePolicy() {
            @Override
            public MessageVerdict onFrame(MessageContext context, Frame frame) {
                return MessageVerdict.forward();
            }

            @Override
            public MessagePolicy open(ConnectionPair pair, Direction direction) {
                throw new IllegalStateException("no state for you");
            }
        };
        MessagePairs pairs = new MessagePairs(b -> b.onMessage(counting, badOpen));
        Pair p = pairs.open();

        assertThat(p.client().closes()).containsExactly("1011 Internal error");
        assertThat(p.backend().closes()).containsExactly("1011 Internal error");
        p.relay().ended(Peer.CLIENT, new SideEnd(SideEnd.Kind.CLOSED, 1011, ""));
        p.relay().ended(Peer.BACKEND, new SideEnd(SideEnd.Kind.CLOSED, 1011, ""));
        assertThat(counting.opened).hasValue(1);
        assertThat(counting.live()).isZero();
        pairs.assertNothingLeft();
    }
}
