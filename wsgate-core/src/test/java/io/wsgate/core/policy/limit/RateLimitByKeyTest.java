package io.wsgate.core.policy.limit;

import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.internal.policy.ChainResult;
import io.wsgate.core.policy.MutableClock;
import io.wsgate.core.policy.TestChains;
import io.wsgate.core.policy.jwt.JwtValidation;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimitByKeyTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final TestChains tester = TestChains.create();

    private static HandshakeRequest from(String ip) {
        return HandshakeRequest.builder().clientAddress(new InetSocketAddress(ip, 1234)).build();
    }

    @Test
    void admitsUpToTheLimitThenRefusesWith429AndRetryAfter() {
        RateLimitByKey p = RateLimitByKey.rate(2, Duration.ofMinutes(1)).clock(clock).build();
        assertThat(tester.run(p, from("10.0.0.1"))).isInstanceOf(ChainResult.Admitted.class);
        assertThat(tester.run(p, from("10.0.0.1"))).isInstanceOf(ChainResult.Admitted.class);
        ChainResult.Rejected r = tester.rejected(tester.run(p, from("10.0.0.1")));
        assertThat(r.rejection().status()).isEqualTo(429);
        assertThat(r.rejection().code()).isEqualTo("RATE_LIMITED");
        assertThat(r.rejection().headers().first("Retry-After")).contains("30");
    }

    @Test
    void countsEachKeyApart() {
        RateLimitByKey p = RateLimitByKey.rate(1, Duration.ofMinutes(1)).clock(clock).build();
        assertThat(tester.run(p, from("10.0.0.1"))).isInstanceOf(ChainResult.Admitted.class);
        assertThat(tester.run(p, from("10.0.0.2"))).isInstanceOf(ChainResult.Admitted.class);
        assertThat(tester.run(p, from("10.0.0.1"))).isInstanceOf(ChainResult.Rejected.class);
    }

    @Test
    void refillsGraduallyAsTheClockMoves() {
        RateLimitByKey p = RateLimitByKey.rate(2, Duration.ofMinutes(1)).clock(clock).build();
        tester.run(p, from("10.0.0.1"));
        tester.run(p, from("10.0.0.1"));
        clock.advance(Duration.ofSeconds(30));
        assertThat(tester.run(p, from("10.0.0.1"))).isInstanceOf(ChainResult.Admitted.class);
        assertThat(tester.run(p, from("10.0.0.1"))).isInstanceOf(ChainResult.Rejected.class);
    }

    @Test
    void refusesAnExhaustedQuotaWith403UntilThePeriodEnds() {
        RateLimitByKey p = RateLimitByKey.quota(2, Duration.ofHours(1)).clock(clock).key(RateKey.header("X-Key")).build();
        HandshakeRequest req = HandshakeRequest.builder().header("X-Key", "k").build();
        tester.run(p, req);
        tester.run(p, req);
        clock.advance(Duration.ofMinutes(30));
        ChainResult.Rejected r = tester.rejected(tester.run(p, req));
        assertThat(r.rejection().status()).isEqualTo(403);
        assertThat(r.rejection().code()).isEqualTo("QUOTA_EXCEEDED");
        assertThat(r.rejection().headers().first("Retry-After")).contains("1800");
        clock.advance(Duration.ofMinutes(30));
        assertThat(tester.run(p, req)).isInstanceOf(ChainResult.Admitted.class);
    }

    @Test
    void countsByAVerifiedClaim() {
        RateLimitByKey p = RateLimitByKey.rate(1, Duration.ofMinutes(1)).clock(clock).key(RateKey.claim("sub")).build();
        TestChains alice = tester.withAttribute(JwtValidation.CLAIMS_ATTRIBUTE, Map.of("sub", "alice"));
        TestChains bob = tester.withAttribute(JwtValidation.CLAIMS_ATTRIBUTE, Map.of("sub", "bob"));
        assertThat(alice.run(p, from("10.0.0.1"))).isInstanceOf(ChainResult.Admitted.class);
        assertThat(bob.run(p, from("10.0.0.1"))).isInstanceOf(ChainResult.Admitted.class);
        assertThat(alice.run(p, from("10.0.0.2"))).isInstanceOf(ChainResult.Rejected.class);
    }

    @Test
    void countsHandshakesWithoutAKeyTogether() {
        RateLimitByKey p = RateLimitByKey.rate(1, Duration.ofMinutes(1)).clock(clock).key(RateKey.subscription()).build();
        assertThat(tester.run(p, from("10.0.0.1"))).isInstanceOf(ChainResult.Admitted.class);
        assertThat(tester.run(p, from("10.0.0.2"))).isInstanceOf(ChainResult.Rejected.class);
    }

    @Test
    void dropsIdleKeysBeyondTheBound() {
        RateLimitByKey p = RateLimitByKey.rate(1, Duration.ofSeconds(1)).clock(clock).maxKeys(10).build();
        for (int i = 0; i < 10; i++) {
            tester.run(p, from("10.0.0." + i));
        }
        clock.advance(Duration.ofSeconds(2));
        tester.run(p, from("10.0.1.1"));
        assertThat(p.trackedKeys()).isEqualTo(1);
    }

    @Test
    void refusesBadLimitsWhenConfigured() {
        assertThatThrownBy(() -> RateLimitByKey.rate(0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0");
        assertThatThrownBy(() -> RateLimitByKey.quota(1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("period must be positive");
    }
}
