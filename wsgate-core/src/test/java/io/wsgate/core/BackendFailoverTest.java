package io.wsgate.core;

import io.wsgate.core.transport.BackendFailure;
import io.wsgate.core.transport.Admission;
import io.wsgate.api.ApiDefinition;
import io.wsgate.api.BackendRequest;
import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.api.Headers;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackendFailoverTest {

    private static HandshakeRequest upgrade(String path, String query) {
        return HandshakeRequest.builder().path(path).query(query)
                .header("Upgrade", "websocket").header("Connection", "Upgrade")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").build();
    }

    private static Gateway gateway(HandshakePolicy... policies) {
        return Gateway.create(GatewayConfig.builder().api(ApiDefinition.builder("echo")
                .backends("ws://10.0.0.1:9000/a", "ws://10.0.0.2:9000/b?v=2", "wss://backup.example/c/")
                .urlSuffix("/echo").onHandshake(policies).build()).build());
    }

    private static Admission.Admitted admit(Exchange exchange) throws Exception {
        assertThat(exchange.validate()).isEmpty();
        Admission admission = exchange.admit().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(admission).isInstanceOf(Admission.Admitted.class);
        return (Admission.Admitted) admission;
    }

    private static final BackendFailure REFUSED_CONNECTION = new BackendFailure.Unreachable(new ConnectException("Connection refused"));

    @Test
    void theBuilderKeepsTheFirstBackendAsPrimaryAndTheOthersInOrder() {
        ApiDefinition api = ApiDefinition.builder("x").backends("ws://a:1/", "ws://b:2/", "ws://c:3/").build();
        assertThat(api.backendUrl()).isEqualTo(URI.create("ws://a:1/"));
        assertThat(api.failoverUrls()).containsExactly(URI.create("ws://b:2/"), URI.create("ws://c:3/"));
        assertThat(api.backendUrls()).hasSize(3);
        assertThat(api.toBuilder().build()).isEqualTo(api);
        assertThat(api.toBuilder().backend("ws://d:4/").build().failoverUrls()).as("backend(...) sets the only one").isEmpty();
    }

    @Test
    void aBadFailoverUrlIsRefusedWithItsValue() {
        assertThatThrownBy(() -> ApiDefinition.builder("x").backends("ws://a:1/", "http://b:2/").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http://b:2/");
        assertThatThrownBy(() -> ApiDefinition.builder("x").backends(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
    }

    @Test
    void everyCandidateGetsTheRestOfThePathTheQueryAndThePoliciesChanges() throws Exception {
        HandshakePolicy shape = HandshakePolicy.of("shape", ctx -> HandshakeDecision.proceed()
                .withHeader("X-User", "alice").withQueryParameter("u", "alice"));
        Gateway gateway = gateway(shape);
        Exchange exchange = gateway.exchange(upgrade("/echo/room", "q=1"), "/echo/room");
        Admission.Admitted admitted = admit(exchange);
        assertThat(admitted.candidates()).extracting(BackendRequest::uri).containsExactly(
                URI.create("ws://10.0.0.1:9000/a/room?q=1&u=alice"),
                URI.create("ws://10.0.0.2:9000/b/room?v=2&q=1&u=alice"),
                URI.create("wss://backup.example/c/room?q=1&u=alice"));
        assertThat(admitted.candidates()).allSatisfy(c -> assertThat(c.headers().first("X-User")).contains("alice"));
        exchange.abandon("test over");
    }

    @Test
    void aRewrittenPathAppliesToEveryCandidate() throws Exception {
        HandshakePolicy rewrite = HandshakePolicy.of("rewrite", ctx -> HandshakeDecision.proceed()
                .with(new io.wsgate.api.BackendChange.RewritePath("/v2/feed")));
        Exchange exchange = gateway(rewrite).exchange(upgrade("/echo/room", ""), "/echo/room");
        assertThat(admit(exchange).candidates()).extracting(c -> c.uri().getRawPath()).containsOnly("/v2/feed");
        exchange.abandon("test over");
    }

    @Test
    void aSetBackendChoiceReplacesTheWholeList() throws Exception {
        HandshakePolicy choose = HandshakePolicy.of("choose", ctx -> HandshakeDecision.proceed()
                .with(new io.wsgate.api.BackendChange.SetBackend(URI.create("ws://chosen:7000"))));
        Exchange exchange = gateway(choose).exchange(upgrade("/echo", ""), "/echo");
        Admission.Admitted admitted = admit(exchange);
        assertThat(admitted.candidates()).extracting(BackendRequest::uri).containsExactly(URI.create("ws://chosen:7000/a"));
        assertThat(exchange.nextBackend(admitted, REFUSED_CONNECTION)).isEmpty();
        exchange.abandon("test over");
    }

    @Test
    void anUnreachableOrUnresolvedBackendMovesOnToTheNextInOrderWithoutEndingTheExchange() throws Exception {
        Gateway gateway = gateway();
        Exchange exchange = gateway.exchange(upgrade("/echo", ""), "/echo");
        Admission.Admitted first = admit(exchange);
        Optional<Admission.Admitted> second = exchange.nextBackend(first, REFUSED_CONNECTION);
        assertThat(second).get().extracting(a -> a.backend().uri()).isEqualTo(URI.create("ws://10.0.0.2:9000/b?v=2"));
        Optional<Admission.Admitted> third = exchange.nextBackend(second.get(), new BackendFailure.UnknownHost("10.0.0.2"));
        assertThat(third).get().extracting(a -> a.backend().uri()).isEqualTo(URI.create("wss://backup.example/c/"));
        assertThat(third.get().limits()).isEqualTo(first.limits());
        assertThat(gateway.pendingHandshakes()).as("failover does not end the exchange").isEqualTo(1);
        assertThat(exchange.nextBackend(third.get(), REFUSED_CONNECTION)).as("the last one failed").isEmpty();
        assertThat(exchange.backendFailed(REFUSED_CONNECTION).status()).isEqualTo(502);
        assertThat(gateway.pendingHandshakes()).isZero();
    }

    @Test
    void aRefusalAnInvalidHandshakeOrATimeoutIsNotFailedOver() throws Exception {
        Exchange exchange = gateway().exchange(upgrade("/echo", ""), "/echo");
        Admission.Admitted first = admit(exchange);
        assertThat(exchange.nextBackend(first, new BackendFailure.Refused(503, Headers.empty(), ""))).isEmpty();
        assertThat(exchange.nextBackend(first, new BackendFailure.InvalidHandshake("wrong accept"))).isEmpty();
        assertThat(exchange.nextBackend(first, new BackendFailure.Timeout())).isEmpty();
        assertThat(exchange.backendFailed(new BackendFailure.Refused(503, Headers.empty(), "")).status()).isEqualTo(503);
    }

    @Test
    void noFailoverOnceTheExchangeHasEnded() throws Exception {
        Exchange exchange = gateway().exchange(upgrade("/echo", ""), "/echo");
        Admission.Admitted first = admit(exchange);
        exchange.abandon("client left");
        assertThat(exchange.nextBackend(first, REFUSED_CONNECTION)).isEmpty();
    }

    @Test
    void anApiWithOneBackendHasNoFailover() throws Exception {
        Gateway gateway = Gateway.create(GatewayConfig.builder().api(ApiDefinition.builder("one")
                .backend("ws://10.0.0.1:9000/").urlSuffix("/one").build()).build());
        Exchange exchange = gateway.exchange(upgrade("/one", ""), "/one");
        Admission.Admitted admitted = admit(exchange);
        assertThat(admitted.failovers()).isEmpty();
        assertThat(exchange.nextBackend(admitted, REFUSED_CONNECTION)).isEmpty();
        exchange.abandon("test over");
    }
}
