package io.wsgate.core.policy.network;

import io.wsgate.api.HandshakeRequest;
import io.wsgate.testing.ChainOutcome;
import io.wsgate.testing.PolicyTester;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckOriginTest {

    private final PolicyTester tester = PolicyTester.create();
    private final CheckOrigin policy = CheckOrigin.of("https://app.example.com", "https://*.example.org", "http://localhost:3000");

    private ChainOutcome run(String origin) {
        return tester.run(policy, HandshakeRequest.builder().header("Origin", origin).build());
    }

    private void assertForbidden(ChainOutcome outcome) {
        ChainOutcome.Rejected r = tester.rejected(outcome);
        assertThat(r.rejection().status()).isEqualTo(403);
        assertThat(r.rejection().code()).isEqualTo("ORIGIN_FORBIDDEN");
    }

    @Test
    void admitsAnExactOriginWhateverItsCaseAndDefaultPort() {
        assertThat(run("https://app.example.com")).isInstanceOf(ChainOutcome.Admitted.class);
        assertThat(run("HTTPS://App.Example.com:443")).isInstanceOf(ChainOutcome.Admitted.class);
        assertThat(run("http://localhost:3000")).isInstanceOf(ChainOutcome.Admitted.class);
    }

    @Test
    void admitsSubdomainsOfAWildcardButNotTheDomainItself() {
        assertThat(run("https://a.example.org")).isInstanceOf(ChainOutcome.Admitted.class);
        assertThat(run("https://a.b.example.org")).isInstanceOf(ChainOutcome.Admitted.class);
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
        assertThat(tester.run(lenient, HandshakeRequest.builder().build())).isInstanceOf(ChainOutcome.Admitted.class);
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
