package io.wsgate.core.policy.custom;

import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.internal.policy.ChainResult;
import io.wsgate.core.policy.TestChains;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CustomAuthorizerTest {

    private final TestChains tester = TestChains.create();
    private final HandshakeRequest request = HandshakeRequest.builder().header("X-User", "alice").build();

    private void assertUnavailable(ChainResult outcome) {
        ChainResult.Rejected r = tester.rejected(outcome);
        assertThat(r.rejection().status()).isEqualTo(503);
        assertThat(r.rejection().code()).isEqualTo("AUTHORIZER_UNAVAILABLE");
    }

    @Test
    void usesTheAuthorizersDecisionToAdmit() {
        CustomAuthorizer p = CustomAuthorizer.builder("auth", ctx -> CompletableFuture.supplyAsync(
                () -> HandshakeDecision.proceed().withHeader("X-Authorized", ctx.request().header("X-User").orElseThrow()))).build();
        assertThat(tester.admitted(tester.run(p, request)).backend().headers().first("X-Authorized")).contains("alice");
    }

    @Test
    void usesTheAuthorizersDecisionToRefuse() {
        CustomAuthorizer p = CustomAuthorizer.builder("auth", ctx ->
                CompletableFuture.completedFuture(HandshakeDecision.reject(403, "NOT_A_MEMBER", "no"))).build();
        assertThat(tester.rejected(tester.run(p, request)).rejection().code()).isEqualTo("NOT_A_MEMBER");
    }

    @Test
    void answers503WhenTheAuthorizerDoesNotAnswerInTime() {
        CustomAuthorizer p = CustomAuthorizer.builder("auth", ctx -> new CompletableFuture<>()).timeout(Duration.ofMillis(20)).build();
        assertUnavailable(tester.run(p, request));
    }

    @Test
    void answers503WhenTheAuthorizerFailsThrowsOrReturnsNothing() {
        assertUnavailable(tester.run(CustomAuthorizer.builder("a", ctx ->
                CompletableFuture.failedFuture(new IllegalStateException("auth service down"))).build(), request));
        assertUnavailable(tester.run(CustomAuthorizer.builder("a", ctx -> {
            throw new IllegalStateException("bug");
        }).build(), request));
        assertUnavailable(tester.run(CustomAuthorizer.builder("a", ctx -> null).build(), request));
        assertUnavailable(tester.run(CustomAuthorizer.builder("a", ctx -> CompletableFuture.completedFuture(null)).build(), request));
    }

    @Test
    void refusesABadTimeout() {
        assertThatThrownBy(() -> CustomAuthorizer.builder("a", ctx -> null).timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    }
}
