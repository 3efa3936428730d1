package io.wsgate.api;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackendChangeTest {

    private final BackendRequest request = new BackendRequest(URI.create("ws://backend:9000/ws/room?a=1&token=t&b=%20x"),
            Headers.of("Cookie", "s=1"), List.of("chat"));

    @Test
    void setsAndRemovesQueryParametersKeepingTheOthersEncoded() {
        BackendRequest r = new BackendChange.RemoveQueryParameter("token").applyTo(request);
        assertThat(r.uri().getRawQuery()).isEqualTo("a=1&b=%20x");
        r = new BackendChange.SetQueryParameter("a", "x y&z").applyTo(r);
        assertThat(r.uri().getRawQuery()).isEqualTo("b=%20x&a=x%20y%26z");
    }

    @Test
    void rewritesThePathKeepingTheQuery() {
        BackendRequest r = new BackendChange.RewritePath("/v2/room").applyTo(request);
        assertThat(r.uri()).isEqualTo(URI.create("ws://backend:9000/v2/room?a=1&token=t&b=%20x"));
        assertThatThrownBy(() -> new BackendChange.RewritePath("no-slash")).hasMessageContaining("must start with '/'");
    }

    @Test
    void choosesAnotherBackendKeepingPathAndQuery() {
        BackendRequest r = new BackendChange.SetBackend(URI.create("wss://other:443")).applyTo(request);
        assertThat(r.uri()).isEqualTo(URI.create("wss://other:443/ws/room?a=1&token=t&b=%20x"));
        assertThatThrownBy(() -> new BackendChange.SetBackend(URI.create("http://x/"))).hasMessageContaining("ws://");
    }

    @Test
    void changesHeadersAndSubprotocols() {
        BackendRequest r = new BackendChange.SetHeader("X-User", "alice").applyTo(request);
        r = new BackendChange.AddHeader("X-User", "bob").applyTo(r);
        r = new BackendChange.RemoveHeader("cookie").applyTo(r);
        r = new BackendChange.SetSubprotocols(List.of("v2")).applyTo(r);
        assertThat(r.headers().all("x-user")).containsExactly("alice", "bob");
        assertThat(r.headers().contains("Cookie")).isFalse();
        assertThat(r.subprotocols()).containsExactly("v2");
    }

    @Test
    void aDecisionCarriesItsChangesInOrder() {
        HandshakeDecision.Proceed p = HandshakeDecision.proceed().withHeader("A", "1").withoutHeader("B").withAttribute("k", "v");
        assertThat(p.changes()).containsExactly(new BackendChange.SetHeader("A", "1"), new BackendChange.RemoveHeader("B"));
        assertThat(p.attributes()).containsEntry("k", "v");
        assertThat(HandshakeDecision.proceed().changes()).isEmpty();
    }

    @Test
    void aRejectionChecksItsStatusAndCode() {
        assertThatThrownBy(() -> HandshakeDecision.reject(200, "OK", "no")).hasMessageContaining("400 to 599");
        assertThatThrownBy(() -> HandshakeDecision.reject(403, "lower case", "no")).hasMessageContaining("upper case");
        assertThat(HandshakeDecision.reject(429, "SLOW", "later").withHeader("Retry-After", "5").headers().first("retry-after"))
                .contains("5");
    }
}
