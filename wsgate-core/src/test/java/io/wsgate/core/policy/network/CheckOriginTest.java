package io.wsgate.core.policy.network;

import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.internal.policy.ChainResult;
import io.wsgate.core.policy.TestChains;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckOriginTest {

    private final TestChains tester = TestChains.create();
    private final CheckOrigin policy = CheckOrigin.of("https://app.example.com", "https://*.example.org", "http://localhost:3000");

    private ChainResult run(String origin) {
        return tester.run(policy, HandshakeRequest.builder().header("Origin", origin).build());
    }

    private void assertForbidden(ChainResult outcome) {
        ChainResult.Rejected r = tester.rejected(outcome);
        assertThat(r.rejection().status()).isEqualTo(403);
        assertThat(r.rejection().code()).isEqualTo("ORIGIN_FORBIDDEN");
    }

    @Test
    void admitsAnExactOriginWhateverItsCaseAndDefaultPort() {
        assertThat(run("https://app.example.com")).isInstanceOf(ChainResult.Admitted.class);
        assertThat(run("HTTPS://App.Example.com:443")).isInstanceOf(ChainResult.Admitted.class);
        assertThat(run("http://localhost:3000")).isInstanceOf(ChainResult.Admitted.class);
    }

    @Test
    void admitsSubdomainsOfAWildcardButNotTheDomainItself() {
        assertThat(run("https://a.example.org")).isInstanceOf(ChainResult.Admitted.class);
        assertThat(run("https://a.b.example.org")).isInstanceOf(ChainResult.Admitted.class);
        assertForbidden(run("https://example.org"));
        assertForbidden(run("https://evilexample.org"));
    }

    @Test
    void refusesOtherOriginsSchemesAndPorts() {
        assertForbidden(run("https://evil.com"));
        assertForbidden(run("http://app.example.com"));
        assertForbidden(run("https://app.example.com:8443"));
        assertForbidden(run("https://app.example.com.evil.com"));
        assertForbidden(run("null"));
        assertForbidden(run("https://app.example.com/path"));
    }

    @Test
    void refusesAMissingOriginUnlessAllowed() {
        assertForbidden(tester.run(policy, HandshakeRequest.builder().build()));
        CheckOrigin lenient = CheckOrigin.builder().allow("https://app.example.com").allowMissing(true).build();
        assertThat(tester.run(lenient, HandshakeRequest.builder().build())).isInstanceOf(ChainResult.Admitted.class);
    }

    @Test
    void refusesTwoOriginHeaders() {
        assertForbidden(tester.run(policy, HandshakeRequest.builder()
                .header("Origin", "https://app.example.com").header("Origin", "https://evil.com").build()));
    }

    @Test
    void refusesBadAllowedOriginsWhenConfigured() {
        assertThatThrownBy(() -> CheckOrigin.of("app.example.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'app.example.com'");
        assertThatThrownBy(() -> CheckOrigin.of("https://a.*.example.com"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CheckOrigin.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
    }
}
