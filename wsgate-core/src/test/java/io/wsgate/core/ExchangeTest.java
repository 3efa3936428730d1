package io.wsgate.core;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.api.UrlScheme;
import io.wsgate.core.policy.PolicyCatalog;
import io.wsgate.core.policy.ProductDefinition;
import io.wsgate.core.policy.ProductSelection;
import io.wsgate.core.policy.limit.ConnectionLimiter;
import io.wsgate.core.transport.Admission;
import io.wsgate.core.transport.BackendFailure;
import io.wsgate.core.transport.ErrorResponse;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ExchangeTest {

    private static HandshakeRequest.Builder upgrade(String path) {
        return HandshakeRequest.builder().path(path)
                .header("Upgrade", "websocket").header("Connection", "Upgrade")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
    }

    private static Gateway gateway(ApiDefinition.Builder api) {
        return Gateway.create(GatewayConfig.builder().policyTimeout(Duration.ofMillis(200))
                .api(api.backend("ws://127.0.0.1:9/base").urlSuffix("/echo").build()).build());
    }

    private static Admission admit(Exchange exchange) throws Exception {
        assertThat(exchange.validate()).isEmpty();
        return exchange.admit().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void answers404ForAPathNoApiMatchesAndEndsTheExchange() {
        Gateway gateway = gateway(ApiDefinition.builder("echo"));
        Exchange exchange = gateway.exchange(upgrade("/nothing").build(), "/nothing");
        assertThat(gateway.pendingHandshakes()).isEqualTo(1);
        assertThat(exchange.validate()).get().extracting(ErrorResponse::status).isEqualTo(404);
        assertThat(gateway.pendingHandshakes()).isZero();
    }

    @Test
    void theListenerHearsAHandshakeStartedOnceWithItsApiBeforeItsEndEvenWhenTheEndCameFirst() {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        GatewayListener events = new GatewayListener() {
            @Override
            public void handshakeStarted(String requestId, HandshakeRequest request, Optional<ApiDefinition> api) {
                seen.add("started " + api.map(ApiDefinition::name).orElse("-"));
            }

            @Override
            public void handshakeFailed(HandshakeOutcome outcome) {
                seen.add("failed " + outcome.api() + " " + outcome.error());
            }

            @Override
            public void handshakeRejected(HandshakeOutcome outcome) {
                seen.add("rejected " + outcome.api() + " " + outcome.error());
            }
        };
        Gateway gateway = Gateway.create(GatewayConfig.builder()
                .api(ApiDefinition.builder("echo").backend("ws://127.0.0.1:9/base").urlSuffix("/echo").build()).build(),
                List.of(events));
        Exchange routed = gateway.exchange(upgrade("/echo").httpVersion("HTTP/1.0").build(), "/echo");
        assertThat(seen).as("not before it is routed").isEmpty();
        assertThat(routed.validate()).isPresent();
        Exchange unvalidated = gateway.exchange(upgrade("/echo").build(), "/echo");
        unvalidated.internalError(io.wsgate.core.error.GatewayError.INTERNAL_ERROR); // as when validate() throws
        assertThat(seen).containsExactly("started echo", "rejected echo BAD_HANDSHAKE", "started -", "failed - INTERNAL_ERROR");
        assertThat(gateway.pendingHandshakes()).isZero();
    }

    @Test
    void refusesASchemeTheApiDoesNotAccept() {
        Gateway gateway = gateway(ApiDefinition.builder("echo").schemes(UrlScheme.WSS));
        Exchange exchange = gateway.exchange(upgrade("/echo").build(), "/echo");
        assertThat(exchange.validate()).get().extracting(ErrorResponse::code).isEqualTo("SCHEME_NOT_ALLOWED");
    }

    @Test
    void admitsWithTheBackendRequestShapedByThePolicies() throws Exception {
        HandshakePolicy addHeader = HandshakePolicy.of("add", ctx -> HandshakeDecision.proceed()
                .withHeader("X-User", "alice").withAttribute("user", "alice"));
        HandshakePolicy seesEarlier = HandshakePolicy.of("sees", ctx -> ctx.attribute("user", String.class).isPresent()
                && ctx.backend().headers().contains("X-User")
                ? HandshakeDecision.proceed().withQueryParameter("u", "alice")
                : HandshakeDecision.reject(403, "NOT_SEEN", "earlier policy not visible"));
        Gateway gateway = gateway(ApiDefinition.builder("echo").onHandshake(addHeader, seesEarlier));
        Exchange exchange = gateway.exchange(upgrade("/echo/room").query("q=1").build(), "/echo/room");
        Admission admission = admit(exchange);
        assertThat(admission).isInstanceOf(Admission.Admitted.class);
        Admission.Admitted admitted = (Admission.Admitted) admission;
        assertThat(admitted.backend().uri()).isEqualTo(URI.create("ws://127.0.0.1:9/base/room?q=1&u=alice"));
        assertThat(admitted.backend().headers().first("X-User")).contains("alice");
        assertThat(admitted.attributes()).containsEntry("user", "alice");
        assertThat(gateway.pendingHandshakes()).as("admitted is not the end").isEqualTo(1);
        exchange.abandon("test over");
        assertThat(gateway.pendingHandshakes()).isZero();
    }

    @Test
    void stopsAtTheFirstRejectionAndEndsTheExchange() throws Exception {
        HandshakePolicy reject = HandshakePolicy.of("no", ctx -> HandshakeDecision.reject(403, "FORBIDDEN", "nope"));
        HandshakePolicy never = HandshakePolicy.of("never", ctx -> {
            throw new AssertionError("must not run after a rejection");
        });
        Gateway gateway = gateway(ApiDefinition.builder("echo").onHandshake(reject, never));
        Exchange exchange = gateway.exchange(upgrade("/echo").build(), "/echo");
        Admission admission = admit(exchange);
        assertThat(admission).isInstanceOfSatisfying(Admission.Refused.class, r -> {
            assertThat(r.response().status()).isEqualTo(403);
            assertThat(r.response().body()).contains("\"error\":\"FORBIDDEN\"").contains(exchange.requestId());
        });
        assertThat(gateway.pendingHandshakes()).isZero();
    }

    @Test
    void aPolicyThatThrowsGives500WithTheRequestIdNever403() throws Exception {
        HandshakePolicy boom = HandshakePolicy.of("boom", ctx -> {
            throw new IllegalStateException("database password is hunter2");
        });
        Gateway gateway = gateway(ApiDefinition.builder("echo").onHandshake(boom));
        Exchange exchange = gateway.exchange(upgrade("/echo").build(), "/echo");
        Admission admission = admit(exchange);
        assertThat(admission).isInstanceOfSatisfying(Admission.Refused.class, r -> {
            assertThat(r.response().status()).isEqualTo(500);
            assertThat(r.response().code()).isEqualTo("POLICY_ERROR");
            assertThat(r.response().body()).contains(exchange.requestId()).doesNotContain("hunter2");
        });
        assertThat(gateway.pendingHandshakes()).isZero();
    }

    @Test
    void aPolicyWhoseStageFailsOrIsNullGives500() throws Exception {
        HandshakePolicy failed = ctx -> CompletableFuture.failedFuture(new RuntimeException("x"));
        HandshakePolicy nullStage = ctx -> null;
        for (HandshakePolicy p : new HandshakePolicy[] {failed, nullStage}) {
            Gateway gateway = gateway(ApiDefinition.builder("echo").onHandshake(p));
            Admission admission = admit(gateway.exchange(upgrade("/echo").build(), "/echo"));
            assertThat(admission).isInstanceOfSatisfying(Admission.Refused.class,
                    r -> assertThat(r.response().status()).isEqualTo(500));
        }
    }

    @Test
    void aPolicyThatNeverDecidesTimesOutWith500() throws Exception {
        HandshakePolicy hangs = ctx -> new CompletableFuture<>();
        Gateway gateway = gateway(ApiDefinition.builder("echo").onHandshake(hangs));
        Exchange exchange = gateway.exchange(upgrade("/echo").build(), "/echo");
        Admission admission = admit(exchange);
        assertThat(admission).isInstanceOfSatisfying(Admission.Refused.class,
                r -> assertThat(r.response().code()).isEqualTo("POLICY_ERROR"));
        assertThat(gateway.pendingHandshakes()).isZero();
    }

    @Test
    void aBackendRequestThatCannotBeSentIsAPolicyErrorAndEndsTheExchange() throws Exception {
        Gateway gateway = gateway(ApiDefinition.builder("echo"));
        Exchange exchange = gateway.exchange(upgrade("/echo").build(), "/echo");
        admit(exchange);
        ErrorResponse r = exchange.backendRequestInvalid("header name 'X Y' is not an HTTP token");
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.code()).isEqualTo("POLICY_ERROR");
        assertThat(r.bodyBytes()).asString().contains(exchange.requestId()).doesNotContain("X Y");
        assertThat(gateway.pendingHandshakes()).isZero();
    }

    @Test
    void aBackendFailureEndsTheExchangeWithItsResponse() throws Exception {
        Gateway gateway = gateway(ApiDefinition.builder("echo"));
        Exchange exchange = gateway.exchange(upgrade("/echo").build(), "/echo");
        admit(exchange);
        ErrorResponse r = exchange.backendFailed(new BackendFailure.Timeout());
        assertThat(r.status()).isEqualTo(504);
        assertThat(r.code()).isEqualTo("BACKEND_TIMEOUT");
        assertThat(gateway.pendingHandshakes()).isZero();
        exchange.abandon("twice is ignored");
        assertThat(gateway.pendingHandshakes()).isZero();
    }

    @Test
    void aDrainingGatewayRefusesNewHandshakesWith503RetryAfterAndConnectionClose() {
        Gateway gateway = gateway(ApiDefinition.builder("echo"));
        gateway.drain(DrainOptions.ofDefaults().withRetryAfter(Duration.ofMillis(2500)));
        assertThat(gateway.isDraining()).isTrue();
        ErrorResponse r = gateway.exchange(upgrade("/echo").build(), "/echo").validate().orElseThrow();
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.code()).isEqualTo("GATEWAY_DRAINING");
        assertThat(r.headers().first("Retry-After")).contains("3");
        assertThat(r.headers().first("Connection")).contains("close");
        assertThat(gateway.pendingHandshakes()).isZero();
    }

    @Test
    void reconfigurationServesTheNewApis() {
        Gateway gateway = gateway(ApiDefinition.builder("echo"));
        gateway.reconfigure(GatewayConfig.from(gateway.config()).removeApi("echo")
                .api(ApiDefinition.builder("chat").backend("ws://127.0.0.1:9/").urlSuffix("/chat").build()).build());
        assertThat(gateway.route("/echo")).isEmpty();
        assertThat(gateway.route("/chat/x")).isPresent();
    }

    @Test
    void aConnectionLimitRefusesWith429AndEveryEndingReturnsThePermit() throws Exception {
        ConnectionLimiter limiter = ConnectionLimiter.builder().perApi(1).build();
        Gateway gateway = Gateway.create(GatewayConfig.builder().connectionLimits(limiter)
                .api(ApiDefinition.builder("echo").backend("ws://127.0.0.1:9/").urlSuffix("/echo").build()).build());
        Exchange first = gateway.exchange(upgrade("/echo").build(), "/echo");
        assertThat(admit(first)).isInstanceOf(Admission.Admitted.class);
        assertThat(limiter.active()).isEqualTo(1);

        Exchange second = gateway.exchange(upgrade("/echo").build(), "/echo");
        assertThat(admit(second)).isInstanceOfSatisfying(Admission.Refused.class, r -> {
            assertThat(r.response().status()).isEqualTo(429);
            assertThat(r.response().code()).isEqualTo("CONNECTION_LIMIT");
            assertThat(r.response().headers().contains("Retry-After")).isTrue();
        });

        first.backendFailed(new BackendFailure.Unreachable(new java.net.ConnectException("refused")));
        assertThat(limiter.active()).isZero();

        Exchange third = gateway.exchange(upgrade("/echo").build(), "/echo");
        assertThat(admit(third)).isInstanceOf(Admission.Admitted.class);
        third.abandon("client left");
        assertThat(limiter.active()).isZero();
        assertThat(gateway.pendingHandshakes()).isZero();
    }

    @Test
    void anApiOfAProductThatRequiresASubscriptionRefusesAMissingKeyWith401() throws Exception {
        PolicyCatalog catalog = PolicyCatalog.builder()
                .product(ProductDefinition.builder("gold").subscriptionRequired(true).subscriptionKeys("k1").build()).build();
        Gateway gateway = Gateway.create(GatewayConfig.builder().policies(catalog)
                .api(ApiDefinition.builder("echo").backend("ws://127.0.0.1:9/").urlSuffix("/echo").products("gold").build()).build());
        assertThat(admit(gateway.exchange(upgrade("/echo").build(), "/echo")))
                .isInstanceOfSatisfying(Admission.Refused.class, r -> {
                    assertThat(r.response().status()).isEqualTo(401);
                    assertThat(r.response().code()).isEqualTo("SUBSCRIPTION_KEY_MISSING");
                });
        Exchange keyed = gateway.exchange(upgrade("/echo").query("subscription-key=k1&x=1")
                .header(PolicyCatalog.DEFAULT_SUBSCRIPTION_HEADER, "k1").build(), "/echo");
        assertThat(admit(keyed)).isInstanceOfSatisfying(Admission.Admitted.class, a -> {
            assertThat(a.attributes()).containsEntry(ProductSelection.PRODUCT_ATTRIBUTE, "gold");
            assertThat(a.backend().headers().contains(PolicyCatalog.DEFAULT_SUBSCRIPTION_HEADER))
                    .as("the subscription key is the gateway's, not forwarded").isFalse();
            assertThat(a.backend().uri().getRawQuery()).isEqualTo("x=1");
        });
        keyed.abandon("done");
        assertThat(gateway.config().explain("echo")).contains("gold");
    }
}
