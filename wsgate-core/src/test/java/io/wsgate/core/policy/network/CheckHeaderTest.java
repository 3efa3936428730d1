package io.wsgate.core.policy.network;

import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.internal.policy.ChainResult;
import io.wsgate.core.policy.TestChains;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckHeaderTest {

    private final TestChains tester = TestChains.create();

    @Test
    void admitsWhenTheHeaderIsPresent() {
        CheckHeader p = CheckHeader.builder("X-Tenant").build();
        assertThat(tester.run(p, HandshakeRequest.builder().header("x-tenant", "a").build())).isInstanceOf(ChainResult.Admitted.class);
    }

    @Test
    void refusesAMissingHeaderWith403ByDefault() {
        ChainResult.Rejected r = tester.rejected(tester.run(CheckHeader.builder("X-Tenant").build(), HandshakeRequest.builder().build()));
        assertThat(r.rejection().status()).isEqualTo(403);
        assertThat(r.rejection().code()).isEqualTo("HEADER_FORBIDDEN");
    }

    @Test
    void refusesAValueNotListedWithTheConfiguredStatus() {
        CheckHeader p = CheckHeader.builder("X-Tenant").values("a", "b").status(401).build();
        assertThat(tester.run(p, HandshakeRequest.builder().header("X-Tenant", " b ").build())).isInstanceOf(ChainResult.Admitted.class);
        ChainResult.Rejected r = tester.rejected(tester.run(p, HandshakeRequest.builder().header("X-Tenant", "B").build()));
        assertThat(r.rejection().status()).isEqualTo(401);
    }

    @Test
    void comparesValuesIgnoringCaseWhenAsked() {
        CheckHeader p = CheckHeader.builder("X-Tenant").values("a").ignoreCase(true).build();
        assertThat(tester.run(p, HandshakeRequest.builder().header("X-Tenant", "A").build())).isInstanceOf(ChainResult.Admitted.class);
    }

    @Test
    void refusesBadConfiguration() {
        assertThatThrownBy(() -> CheckHeader.builder("X-Tenant").status(404))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("401 or 403, got 404");
        assertThatThrownBy(() -> CheckHeader.builder(""))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
