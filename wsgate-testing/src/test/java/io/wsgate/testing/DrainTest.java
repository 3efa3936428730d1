package io.wsgate.testing;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.DrainOptions;
import io.wsgate.core.DrainResult;
import io.wsgate.core.Gateway;
import io.wsgate.core.GatewayConfig;
import io.wsgate.core.GatewayListener;
import io.wsgate.core.PairEnd;
import io.wsgate.core.policy.limit.ConnectionLimiter;
import io.wsgate.core.transport.BackendOutcome;
import io.wsgate.core.transport.ErrorResponse;
import io.wsgate.core.transport.PairRelay;
import io.wsgate.core.transport.Peer;
import io.wsgate.core.transport.SideEnd;
import io.wsgate.api.ConnectionPair;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's drain, driven through the public ports with this module's fakes and {@link ManualScheduler}:
 * the batches of a window, the timeout's abort, the handshakes under way, and that nothing is left after.
 */
class DrainTest {

    private static final Instant START = Instant.parse("2030-01-01T12:00:00Z");
    private static final String DRAINING = "1001 " + DrainOptions.DEFAULT_REASON;

    private final ManualScheduler time = ManualScheduler.startingAt(START);
    private final ConnectionLimiter limiter = ConnectionLimiter.builder().perGateway(1000).build();
    private final List<PairEnd> ends = Collections.synchronizedList(new ArrayList<>());
    private final Gateway gateway = Gateway.create(GatewayConfig.builder().clock(time.clock()).scheduler(time)
            .connectionLimits(limiter)
            .api(ApiDefinition.builder("chat").backend("ws://127.0.0.1:9/").urlSuffix("/chat").build()).build(),
            List.of(new GatewayListener() {
                @Override
                public void pairClosed(ConnectionPair pair, PairEnd end) {
                    ends.add(end);
                }
            }));

    /** One established pair and its two sides. */
    record Pair(PairRelay relay, RecordingTransportSide client, RecordingTransportSide backend) {
        /** Both peers answer the gateway's close: the pair ends. */
        void answer() {
            relay.ended(Peer.CLIENT, new SideEnd(SideEnd.Kind.CLOSED, 1001, DrainOptions.DEFAULT_REASON));
            relay.ended(Peer.BACKEND, new SideEnd(SideEnd.Kind.CLOSED, 1001, DrainOptions.DEFAULT_REASON));
        }
    }

    private static HandshakeRequest upgrade() {
        return HandshakeRequest.builder().path("/chat")
                .header("Upgrade", "websocket").header("Connection", "Upgrade")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").build();
    }

    private Pair open() {
        RecordingTransportSide client = RecordingTransportSide.create();
        RecordingTransportSide backend = RecordingTransportSide.create();
        RecordingClientHandshake port = RecordingClientHandshake.upgradingTo(client);
        gateway.handshake(upgrade(), "/chat", port, ScriptedBackends.answering(BackendOutcome.connected(backend, "")));
        return new Pair(client.relay().orElseThrow(() -> new AssertionError("the pair was not established")), client, backend);
    }

    private List<Pair> open(int n) {
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pairs.add(open());
        }
        return pairs;
    }

    private static long closed(List<Pair> pairs) {
        return pairs.stream().filter(p -> p.client().closes().contains(DRAINING) && p.backend().closes().contains(DRAINING))
                .count();
    }

    private void nothingLeft() {
        assertThat(gateway.openPairs()).isZero();
        assertThat(gateway.pendingHandshakes()).isZero();
        assertThat(gateway.pairDeadlines()).isZero();
        assertThat(time.pending()).isZero();
        assertThat(limiter.active()).isZero();
    }

    @Test
    void withoutAWindowClosesEveryPairAtOnceAndCompletesWhenTheyHaveEnded() {
        List<Pair> pairs = open(3);

        CompletableFuture<DrainResult> drained = gateway.drain(DrainOptions.ofDefaults()).toCompletableFuture();

        assertThat(gateway.isDraining()).isTrue();
        assertThat(closed(pairs)).isEqualTo(3);
        assertThat(drained).isNotDone();
        time.advance(Duration.ofSeconds(2));
        pairs.forEach(Pair::answer);
        assertThat(drained).isCompletedWithValue(new DrainResult(3, 3, 0, Duration.ofSeconds(2)));
        assertThat(ends).allSatisfy(e -> assertThat(e.cause()).hasToString("DRAINED"));
        nothingLeft();
    }

    @Test
    void aWindowClosesThePairsInBatchesOneSecondApart() {
        List<Pair> pairs = open(10);

        CompletableFuture<DrainResult> drained = gateway.drain(DrainOptions.ofDefaults().withWindow(Duration.ofSeconds(5)))
                .toCompletableFuture();

        assertThat(closed(pairs)).isEqualTo(2);
        for (int second = 1; second <= 4; second++) {
            time.advance(Duration.ofMillis(999));
            assertThat(closed(pairs)).isEqualTo(2L * second);
            time.advance(Duration.ofMillis(1));
            assertThat(closed(pairs)).as("after %d s", second).isEqualTo(2L * (second + 1));
        }
        // the timeout runs from the last batch, at 4 s: the drain takes at most window + timeout
        assertThat(time.dueTimes()).containsExactly(START.plusSeconds(4).plus(DrainOptions.DEFAULT_TIMEOUT));
        pairs.forEach(Pair::answer);
        assertThat(drained).isCompletedWithValue(new DrainResult(10, 10, 0, Duration.ofSeconds(4)));
        nothingLeft();
    }

    @Test
    void pairsThatEndedBeforeTheirBatchCompleteTheDrainEarly() {
        List<Pair> pairs = open(4);
        CompletableFuture<DrainResult> drained = gateway.drain(DrainOptions.ofDefaults().withWindow(Duration.ofSeconds(4)))
                .toCompletableFuture();
        assertThat(closed(pairs)).isEqualTo(1);

        pairs.forEach(Pair::answer); // the clients left by themselves

        assertThat(drained).isCompletedWithValue(new DrainResult(4, 4, 0, Duration.ZERO));
        assertThat(closed(pairs)).isEqualTo(1);
        nothingLeft();
    }

    @Test
    void theTimeoutAbortsThePairsLeftAndReturnsTheirPermits() {
        List<Pair> pairs = open(3);
        CompletableFuture<DrainResult> drained = gateway.drain(DrainOptions.ofDefaults().withTimeout(Duration.ofSeconds(10)))
                .toCompletableFuture();
        pairs.get(0).answer();
        assertThat(limiter.active()).isEqualTo(2);

        time.advance(Duration.ofSeconds(10));

        assertThat(drained).isCompletedWithValue(new DrainResult(3, 1, 2, Duration.ofSeconds(10)));
        for (Pair p : pairs.subList(1, 3)) {
            assertThat(p.client().closes()).containsExactly(DRAINING, RecordingTransportSide.ABORT);
            assertThat(p.backend().closes()).containsExactly(DRAINING, RecordingTransportSide.ABORT);
        }
        assertThat(pairs.get(0).client().aborts()).isZero();
        assertThat(ends).hasSize(3).allSatisfy(e -> assertThat(e.cause()).hasToString("DRAINED"));
        nothingLeft();
        // what the transports report later changes nothing
        pairs.get(1).answer();
        assertThat(ends).hasSize(3);
    }

    @Test
    void aHandshakeUnderWayFinishesItsPairIsClosedAtOnceAndTheDrainWaitsForIt() {
        RecordingTransportSide client = RecordingTransportSide.create();
        RecordingTransportSide backend = RecordingTransportSide.create();
        CompletableFuture<BackendOutcome> answer = new CompletableFuture<>();
        gateway.handshake(upgrade(), "/chat", RecordingClientHandshake.upgradingTo(client), ScriptedBackends.answeringWhen(answer));

        CompletableFuture<DrainResult> drained = gateway.drain(DrainOptions.ofDefaults()).toCompletableFuture();
        assertThat(gateway.pendingHandshakes()).isEqualTo(1);
        assertThat(drained).isNotDone();
        answer.complete(BackendOutcome.connected(backend, ""));

        assertThat(client.closes()).containsExactly(DRAINING);
        assertThat(backend.closes()).containsExactly(DRAINING);
        assertThat(drained).isNotDone();
        new Pair(client.relay().orElseThrow(), client, backend).answer();
        assertThat(drained).isCompletedWithValue(new DrainResult(0, 1, 0, Duration.ZERO));
        nothingLeft();
    }

    @Test
    void aPairEstablishedAfterTheTimeoutIsAbortedAtOnce() {
        RecordingTransportSide client = RecordingTransportSide.create();
        RecordingTransportSide backend = RecordingTransportSide.create();
        CompletableFuture<BackendOutcome> answer = new CompletableFuture<>();
        gateway.handshake(upgrade(), "/chat", RecordingClientHandshake.upgradingTo(client), ScriptedBackends.answeringWhen(answer));
        CompletableFuture<DrainResult> drained = gateway.drain(DrainOptions.ofDefaults().withTimeout(Duration.ofSeconds(1)))
                .toCompletableFuture();

        time.advance(Duration.ofSeconds(1));
        assertThat(drained).isCompletedWithValue(new DrainResult(0, 0, 0, Duration.ofSeconds(1)));
        assertThat(gateway.pendingHandshakes()).isEqualTo(1); // not waited for
        answer.complete(BackendOutcome.connected(backend, ""));

        assertThat(client.closes()).containsExactly(DRAINING, RecordingTransportSide.ABORT);
        assertThat(backend.closes()).containsExactly(DRAINING, RecordingTransportSide.ABORT);
        nothingLeft();
    }

    @Test
    void newHandshakesGet503WithRetryAfterAndConnectionCloseAndReachNoBackend() {
        gateway.drain(DrainOptions.ofDefaults().withRetryAfter(Duration.ofSeconds(7)));
        RecordingClientHandshake port = RecordingClientHandshake.leaving();

        gateway.handshake(upgrade(), "/chat", port, ScriptedBackends.never());

        ErrorResponse r = port.awaitRejection();
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.code()).isEqualTo("GATEWAY_DRAINING");
        assertThat(r.headers().first("Retry-After")).contains("7");
        assertThat(r.headers().first("Connection")).contains("close");
        assertThat(r.body()).contains("\"error\":\"GATEWAY_DRAINING\"");
        nothingLeft();
    }

    @Test
    void aSecondCallReturnsTheSameStageAndItsOptionsAreIgnored() {
        List<Pair> pairs = open(2);
        CompletionStage<DrainResult> first = gateway.drain(DrainOptions.ofDefaults().withClose(1012, "service restart"));

        CompletionStage<DrainResult> second = gateway.drain(DrainOptions.ofDefaults().withClose(4000, "other"));

        assertThat(second == first).as("the same stage").isTrue();
        assertThat(pairs.get(0).client().closes()).containsExactly("1012 service restart");
        assertThat(pairs.get(1).backend().closes()).containsExactly("1012 service restart");
        pairs.forEach(p -> {
            p.relay().ended(Peer.CLIENT, new SideEnd(SideEnd.Kind.CLOSED, 1012, "service restart"));
            p.relay().ended(Peer.BACKEND, new SideEnd(SideEnd.Kind.CLOSED, 1012, "service restart"));
        });
        assertThat(first.toCompletableFuture()).isCompletedWithValue(new DrainResult(2, 2, 0, Duration.ZERO));
        assertThat(ends).allSatisfy(e -> assertThat(e.clientGot().code()).isEqualTo(1012));
        nothingLeft();
    }

    @Test
    void aGatewayWithNothingOpenIsDrainedAtOnceWithNoTimer() {
        CompletableFuture<DrainResult> drained = gateway.drain(DrainOptions.ofDefaults()).toCompletableFuture();

        assertThat(drained).isCompletedWithValue(new DrainResult(0, 0, 0, Duration.ZERO));
        assertThat(drained.join()).hasToString("0 pairs, 0 closed, 0 aborted, in 0.0 s");
        nothingLeft();
    }

    @Test
    void theStageCannotBeCompletedByACaller() {
        open(1);
        CompletableFuture<DrainResult> view = gateway.drain(DrainOptions.ofDefaults()).toCompletableFuture();
        view.complete(new DrainResult(9, 9, 9, Duration.ZERO));

        assertThat(gateway.drain(DrainOptions.ofDefaults()).toCompletableFuture()).isNotDone();
        time.advance(DrainOptions.DEFAULT_TIMEOUT);
        assertThat(gateway.drain(DrainOptions.ofDefaults()).toCompletableFuture())
                .isCompletedWithValue(new DrainResult(1, 0, 1, DrainOptions.DEFAULT_TIMEOUT));
        nothingLeft();
    }

    @Test
    void theReadmeExampleDrains() {
        // ---- README: Graceful drain
        DrainResult r = gateway.drain(DrainOptions.ofDefaults()
                .withWindow(Duration.ofSeconds(30)).withTimeout(Duration.ofSeconds(20))
                .withClose(1012, "service restart")).toCompletableFuture().join();
        // ---- end
        assertThat(r).isEqualTo(new DrainResult(0, 0, 0, Duration.ZERO));
        nothingLeft();
    }
}
