package io.wsgate.testing;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.ApiLimits;
import io.wsgate.api.CloseCause;
import io.wsgate.api.CloseInitiator;
import io.wsgate.api.ConnectionPair;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.Gateway;
import io.wsgate.core.GatewayConfig;
import io.wsgate.core.GatewayListener;
import io.wsgate.core.PairEnd;
import io.wsgate.core.transport.BackendOutcome;
import io.wsgate.core.transport.PairRelay;
import io.wsgate.core.transport.Peer;
import io.wsgate.core.transport.SideEnd;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The maximum lifetime of a pair ({@link ApiLimits#withMaxLifetime}): closed with 1001 once it passes, less a
 * jitter of up to 10% drawn from the configuration's random source. Core's flow with {@link ManualScheduler}.
 */
class MaxLifetimeTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration LIFETIME = Duration.ofHours(1);

    private final ManualScheduler time = ManualScheduler.startingAt(START);
    private final List<PairEnd> ends = Collections.synchronizedList(new ArrayList<>());

    /** A random source whose every draw is this share of the range. */
    private static RandomGenerator drawing(double share) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return (long) (share * Long.MAX_VALUE);
            }

            @Override
            public double nextDouble() {
                return share;
            }
        };
    }

    private Gateway gateway(ApiLimits limits, RandomGenerator random) {
        ApiDefinition api = ApiDefinition.builder("echo").backend("ws://127.0.0.1:1/").urlSuffix("/echo").limits(limits).build();
        GatewayListener listener = new GatewayListener() {
            @Override
            public void pairClosed(ConnectionPair pair, PairEnd end) {
                ends.add(end);
            }
        };
        return Gateway.create(GatewayConfig.builder().clock(time.clock()).scheduler(time).random(random).api(api).build(),
                List.of(listener));
    }

    private record Pair(PairRelay relay, RecordingTransportSide client, RecordingTransportSide backend) {
        void endBoth() {
            relay.ended(Peer.CLIENT, new SideEnd(SideEnd.Kind.CLOSED, 1001, ""));
            relay.ended(Peer.BACKEND, new SideEnd(SideEnd.Kind.CLOSED, 1001, ""));
        }
    }

    private static Pair open(Gateway gateway) {
        RecordingTransportSide client = RecordingTransportSide.create();
        RecordingTransportSide backend = RecordingTransportSide.create();
        HandshakeRequest request = HandshakeRequest.builder().path("/echo")
                .header("Upgrade", "websocket").header("Connection", "Upgrade")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").build();
        gateway.handshake(request, "/echo", RecordingClientHandshake.upgradingTo(client),
                ScriptedBackends.answering(BackendOutcome.connected(backend, "")));
        return new Pair(client.relay().orElseThrow(() -> new AssertionError("the pair was not established")), client, backend);
    }

    @Test
    void closesBothSidesWith1001AtTheLifetimeLessItsJitter() {
        Gateway gateway = gateway(ApiLimits.ofDefaults().withMaxLifetime(LIFETIME), drawing(0.5));
        Pair pair = open(gateway);
        // half of the 10%: 3 minutes early
        assertThat(time.dueTimes()).containsExactly(START.plus(Duration.ofMinutes(57)));
        assertThat(gateway.pairDeadlines()).isOne();

        time.advance(Duration.ofMinutes(57).minusSeconds(1));
        assertThat(pair.client().closes()).isEmpty();
        time.advance(Duration.ofSeconds(1));

        assertThat(pair.client().closes()).containsExactly("1001 Maximum connection lifetime reached");
        assertThat(pair.backend().closes()).containsExactly("1001 Maximum connection lifetime reached");
        pair.endBoth();
        assertThat(ends).singleElement().satisfies(end -> {
            assertThat(end.closedBy()).isEqualTo(CloseInitiator.GATEWAY);
            assertThat(end.cause()).isEqualTo(CloseCause.LIFETIME);
            assertThat(end.close().code()).isEqualTo(1001);
        });
        assertThat(gateway.openPairs()).isZero();
        assertThat(gateway.pairDeadlines()).isZero();
        assertThat(time.pending()).isZero();
    }

    @Test
    void theJitterIsAtMostATenthAndNeverLater() {
        for (double share : new double[] {0, 0.25, 0.999, 1}) {
            Gateway gateway = gateway(ApiLimits.ofDefaults().withMaxLifetime(LIFETIME), drawing(share));
            Pair pair = open(gateway);
            Instant due = time.dueTimes().get(0);
            assertThat(due).as("share %s", share)
                    .isBetween(time.now().plus(Duration.ofMinutes(54)), time.now().plus(LIFETIME));
            pair.endBoth();
            assertThat(time.pending()).isZero();
        }
        assertThat(ends).hasSize(4).allSatisfy(end -> assertThat(end.cause()).isEqualTo(CloseCause.NORMAL));
    }

    @Test
    void pairsOpenedTogetherCloseApartWithTheDefaultRandomSource() {
        Gateway gateway = Gateway.create(GatewayConfig.builder().clock(time.clock()).scheduler(time)
                .api(ApiDefinition.builder("echo").backend("ws://127.0.0.1:1/").urlSuffix("/echo")
                        .limits(ApiLimits.ofDefaults().withMaxLifetime(LIFETIME)).build()).build());
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pairs.add(open(gateway));
        }
        assertThat(time.dueTimes()).allSatisfy(due -> assertThat(due).isBetween(START.plus(Duration.ofMinutes(54)),
                START.plus(LIFETIME)));
        assertThat(time.dueTimes().stream().distinct().count()).isGreaterThan(1);
        pairs.forEach(Pair::endBoth);
        assertThat(gateway.pairDeadlines()).isZero();
        assertThat(time.pending()).isZero();
    }

    @Test
    void withNoMaximumLifetimeNothingIsScheduled() {
        Gateway gateway = gateway(ApiLimits.ofDefaults(), drawing(0.5));
        Pair pair = open(gateway);
        assertThat(time.pending()).isZero();
        time.advance(Duration.ofDays(30));
        assertThat(pair.client().closes()).isEmpty();
        pair.endBoth();
    }

    @Test
    void refusesALifetimeThatIsNotPositive() {
        assertThatThrownBy(() -> ApiLimits.ofDefaults().withMaxLifetime(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxLifetime must be positive, got PT0S");
        assertThat(ApiLimits.ofDefaults().withMaxLifetime(LIFETIME).withoutMaxLifetime().hasMaxLifetime()).isFalse();
    }
}
