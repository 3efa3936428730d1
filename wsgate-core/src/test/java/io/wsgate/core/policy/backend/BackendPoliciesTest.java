package io.wsgate.core.policy.backend;

import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.policy.TestChains;
import io.wsgate.core.policy.jwt.JwtValidation;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackendPoliciesTest {

    private final TestChains tester = TestChains.create()
            .withAttribute(JwtValidation.CLAIMS_ATTRIBUTE, Map.of("sub", "alice", "region", "eu", "roles", List.of("a", "b")));

    private final HandshakeRequest request = HandshakeRequest.builder().path("/room/1").query("x=1&lang=fr")
            .header("X-Tenant", "t1").header("Cookie", "secret=1").build();

    @Test
    void setsAHeaderFromClaimsAndRequestData() {
        var out = tester.admitted(tester.run(List.of(
                BackendPolicies.setHeader("X-User", "${claim.sub}@${header.X-Tenant}"),
                BackendPolicies.setHeader("X-Roles", "${claim.roles}"),
                BackendPolicies.setHeader("X-Client", "${client.ip} ${requestId} ${api} ${query.lang}")), request));
        assertThat(out.backend().headers().first("X-User")).contains("alice@t1");
        assertThat(out.backend().headers().first("X-Roles")).contains("a,b");
        assertThat(out.backend().headers().first("X-Client")).contains("127.0.0.1 test-request test fr");
    }

    @Test
    void leavesTheHeaderUnsetWhenAPlaceholderHasNoValue() {
        var out = tester.admitted(tester.run(BackendPolicies.setHeader("X-Email", "${claim.email}"), request));
        assertThat(out.backend().headers().contains("X-Email")).isFalse();
    }

    @Test
    void neverSendsAValueWithALineBreak() {
        var out = tester.admitted(tester.withAttribute(JwtValidation.CLAIMS_ATTRIBUTE, Map.of("sub", "a\r\nX-Admin: 1"))
                .run(BackendPolicies.setHeader("X-User", "${claim.sub}"), request));
        assertThat(out.backend().headers().contains("X-User")).isFalse();
    }

    @Test
    void removesAHeader() {
        var out = tester.admitted(tester.run(BackendPolicies.removeHeader("cookie"), request));
        assertThat(out.backend().headers().contains("Cookie")).isFalse();
        assertThat(out.backend().headers().contains("X-Tenant")).isTrue();
    }

    @Test
    void setsAndRemovesQueryParameters() {
        var out = tester.admitted(tester.run(List.of(BackendPolicies.setQueryParameter("user", "${claim.sub} &"),
                BackendPolicies.removeQueryParameter("x")), request));
        assertThat(out.backend().uri().getRawQuery()).isEqualTo("lang=fr&user=alice%20%26");
    }

    @Test
    void rewritesThePathEncodingFilledInValues() {
        var out = tester.admitted(tester.run(BackendPolicies.rewritePath("/v2/${claim.sub}${backend.path}"), request));
        assertThat(out.backend().uri().getRawPath()).isEqualTo("/v2/alice/room/1");
        assertThat(out.backend().uri().getRawQuery()).isEqualTo("x=1&lang=fr");
        var encoded = tester.admitted(tester.withAttribute(JwtValidation.CLAIMS_ATTRIBUTE, Map.of("sub", "a/b c"))
                .run(BackendPolicies.rewritePath("/u/${claim.sub}"), request));
        assertThat(encoded.backend().uri().getRawPath()).isEqualTo("/u/a%2Fb%20c");
    }

    @Test
    void choosesTheBackendByAClaim() {
        var policy = BackendPolicies.setBackend("${claim.region}", Map.of("eu", URI.create("wss://eu.backend:9443")));
        var out = tester.admitted(tester.run(policy, request));
        assertThat(out.backend().uri()).hasToString("wss://eu.backend:9443/room/1?x=1&lang=fr");
        var other = tester.admitted(tester.withAttribute(JwtValidation.CLAIMS_ATTRIBUTE, Map.of("region", "us")).run(policy, request));
        assertThat(other.backend().uri().getHost()).isEqualTo("backend.test");
    }

    @Test
    void choosesTheBackendByAUserFunction() {
        var policy = BackendPolicies.setBackend(ctx -> ctx.request().header("X-Tenant").map(t -> URI.create("ws://" + t + ".internal:1")));
        assertThat(tester.admitted(tester.run(policy, request)).backend().uri().getHost()).isEqualTo("t1.internal");
    }

    @Test
    void refusesBadTemplatesAndBackendsWhenConfigured() {
        assertThatThrownBy(() -> BackendPolicies.setHeader("X-A", "${claim.sub"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unclosed");
        assertThatThrownBy(() -> BackendPolicies.setHeader("X-A", "${secret}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown placeholder '${secret}'");
        assertThatThrownBy(() -> BackendPolicies.rewritePath("v2"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'v2'");
        assertThatThrownBy(() -> BackendPolicies.setBackend("${claim.region}", Map.of("eu", URI.create("http://eu"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http://eu");
        assertThatThrownBy(() -> BackendPolicies.setHeader("Bad\nName", "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
