package io.wsgate.testing.message;

import io.wsgate.api.HandshakeRequest;
import io.wsgate.api.MessageVerdict;
import io.wsgate.core.policy.jwt.JwtValidation;
import io.wsgate.core.policy.limit.RateKey;
import io.wsgate.core.policy.message.MessageRateLimit;
import io.wsgate.testing.MessagePolicyTester;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;

import static io.wsgate.api.MessageVerdict.Kind.CLOSE;
import static io.wsgate.api.MessageVerdict.Kind.DROP;
import static io.wsgate.api.MessageVerdict.Kind.FORWARD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageRateLimitTest {

    private final MessagePolicyTester tester = MessagePolicyTester.create();

    @Test
    void closesWith1008OnTheFirstMessageBeyondTheLimitInEitherDirection() {
        MessageRateLimit limit = MessageRateLimit.builder(2, Duration.ofSeconds(1)).clock(tester.clock()).build();
        MessagePolicyTester.Pair in = tester.open(limit);
        assertThat(in.inbound().text("a").kind()).isEqualTo(FORWARD);
        assertThat(in.inbound().binary(new byte[0]).kind()).isEqualTo(FORWARD); // an empty message counts
        assertThat(in.outbound().text("the other direction has its own bucket").kind()).isEqualTo(FORWARD);
        MessageVerdict over = in.inbound().text("c");
        assertThat(over.closeCode()).isEqualTo(1008);
        assertThat(over.closeReason()).isEqualTo("message rate exceeded");
        assertThat(in.isClosed()).isTrue();

        MessagePolicyTester.Pair out = tester.open(limit);
        out.outbound().text("1");
        out.outbound().text("2");
        assertThat(out.outbound().text("3").kind()).isEqualTo(CLOSE);
        assertThat(limit.openPairs()).isZero();
    }

    @Test
    void countsAMessageOnceWhateverItsFragments() {
        MessageRateLimit limit = MessageRateLimit.builder(2, Duration.ofSeconds(1)).clock(tester.clock()).build();
        MessagePolicyTester.Pair pair = tester.open(limit);
        assertThat(pair.inbound().textFragments("a", "b", "c", "d")).extracting(MessageVerdict::kind).containsOnly(FORWARD);
        assertThat(pair.inbound().fragments(false, new byte[] {1}, new byte[] {2})).extracting(MessageVerdict::kind)
                .containsOnly(FORWARD);
        assertThat(pair.inbound().textFragments("x", "y").get(0).kind()).isEqualTo(CLOSE);
    }

    @Test
    void dropsAndCountsBeyondTheLimitWithDropAndRefillsWithTheClock() {
        MessageRateLimit limit = MessageRateLimit.builder(2, Duration.ofSeconds(1))
                .onExceed(MessageRateLimit.OnExceed.DROP).clock(tester.clock()).build();
        MessagePolicyTester.Pair pair = tester.open(limit);
        pair.inbound().text("1");
        pair.inbound().text("2");
        assertThat(pair.inbound().text("3").kind()).isEqualTo(DROP);
        assertThat(pair.inbound().textFragments("4", "4", "4")).extracting(MessageVerdict::kind).containsOnly(DROP);
        assertThat(limit.dropped()).isEqualTo(2);
        tester.advance(Duration.ofMillis(500)); // one permit back (refilled gradually)
        assertThat(pair.inbound().text("5").kind()).isEqualTo(FORWARD);
        assertThat(pair.inbound().text("6").kind()).isEqualTo(DROP);
        assertThat(pair.inbound().relayedText()).containsExactly("1", "2", "5");
        assertThat(pair.isClosed()).isFalse();
        pair.end();
        assertThat(limit.openPairs()).isZero();
        assertThat(pair.openInstances()).isZero();
    }

    @Test
    void perKeyCountsThePairsOfAKeyTogetherAndOtherKeysApart() {
        MessageRateLimit limit = MessageRateLimit.builder(3, Duration.ofMinutes(1)).key(RateKey.claim("sub"))
                .onExceed(MessageRateLimit.OnExceed.DROP).clock(tester.clock()).build();
        MessagePolicyTester alice = tester.withAttribute(JwtValidation.CLAIMS_ATTRIBUTE, Map.of("sub", "alice"));
        MessagePolicyTester bob = tester.withAttribute(JwtValidation.CLAIMS_ATTRIBUTE, Map.of("sub", "bob"));
        MessagePolicyTester.Pair a1 = alice.open(limit);
        MessagePolicyTester.Pair a2 = alice.open(limit);
        MessagePolicyTester.Pair b1 = bob.open(limit);
        a1.inbound().text("1");
        a2.inbound().text("2");
        a1.outbound().text("3"); // both directions of the key share its bucket
        assertThat(a2.inbound().text("4").kind()).isEqualTo(DROP);
        assertThat(b1.inbound().text("1").kind()).isEqualTo(FORWARD);
        assertThat(limit.trackedKeys()).isEqualTo(2);
        a1.end();
        a2.end();
        b1.end();
        assertThat(limit.openPairs()).isZero();
    }

    @Test
    void perKeyByClientAddressAndHeader() {
        MessageRateLimit byIp = MessageRateLimit.builder(1, Duration.ofMinutes(1)).key(RateKey.clientIp())
                .clock(tester.clock()).build();
        MessagePolicyTester one = tester.withRequest(HandshakeRequest.builder()
                .clientAddress(new InetSocketAddress("192.0.2.1", 4000)).header("X-Client", "c1").build());
        MessagePolicyTester other = tester.withRequest(HandshakeRequest.builder()
                .clientAddress(new InetSocketAddress("192.0.2.2", 4000)).header("X-Client", "c1").build());
        one.open(byIp).inbound().text("a");
        assertThat(other.open(byIp).inbound().text("a").kind()).isEqualTo(FORWARD);
        assertThat(one.open(byIp).inbound().text("b").kind()).isEqualTo(CLOSE);

        MessageRateLimit byHeader = MessageRateLimit.builder(1, Duration.ofMinutes(1)).key(RateKey.header("X-Client"))
                .clock(tester.clock()).build();
        one.open(byHeader).inbound().text("a");
        assertThat(other.open(byHeader).inbound().text("a").kind()).isEqualTo(CLOSE);
    }

    @Test
    void perKeyBucketsStayBounded() {
        MessageRateLimit limit = MessageRateLimit.builder(5, Duration.ofSeconds(1)).key(RateKey.header("X-Id"))
                .maxKeys(2).clock(tester.clock()).build();
        for (int i = 0; i < 10; i++) {
            MessagePolicyTester.Pair p = tester.withRequest(HandshakeRequest.builder().header("X-Id", "k" + i).build()).open(limit);
            p.inbound().text("m");
            p.end();
            tester.advance(Duration.ofSeconds(1)); // its bucket is full again: droppable
        }
        assertThat(limit.trackedKeys()).isLessThanOrEqualTo(2);
        assertThat(limit.openPairs()).isZero();
    }

    @Test
    void refusesBadSettingsClearly() {
        assertThatThrownBy(() -> MessageRateLimit.builder(0, Duration.ofSeconds(1)))
                .hasMessage("permits must be at least 1, got 0");
        assertThatThrownBy(() -> MessageRateLimit.builder(1, Duration.ZERO)).hasMessage("period must be positive, got PT0S");
        assertThatThrownBy(() -> MessageRateLimit.builder(1, Duration.ofSeconds(1)).maxKeys(0))
                .hasMessage("maxKeys must be at least 1, got 0");
        assertThatThrownBy(() -> MessageRateLimit.builder(2_000_000_000L, Duration.ofSeconds(1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refill rate");
        MessageRateLimit limit = MessageRateLimit.builder(1, Duration.ofSeconds(1)).build();
        assertThatThrownBy(() -> limit.onFrame(null, null)).isInstanceOf(IllegalStateException.class);
    }
}
