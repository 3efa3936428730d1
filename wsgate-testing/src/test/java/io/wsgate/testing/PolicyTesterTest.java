package io.wsgate.testing;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.policy.ApiChains;
import io.wsgate.core.policy.PolicyCatalog;
import io.wsgate.core.policy.ProductDefinition;
import io.wsgate.core.policy.ProductSelection;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyTesterTest {

    private final PolicyTester tester = PolicyTester.create();

    @Test
    void buildsTheInitialBackendRequestAsTheGatewayDoes() {
        ApiDefinition api = ApiDefinition.builder("chat").backend("ws://chat:9000/base").urlSuffix("/chat").build();
        HandshakeRequest request = HandshakeRequest.builder().path("/chat/room/1").query("a=1")
                .header("Connection", "Upgrade").header("Upgrade", "websocket").header("X-Tenant", "t1")
                .subprotocols("v1", "v2").build();
        var backend = PolicyTester.forApi(api).initialBackendRequest(request);
        assertThat(backend.uri()).hasToString("ws://chat:9000/base/room/1?a=1");
        assertThat(backend.headers().names()).startsWith("x-tenant").contains("x-forwarded-for", "forwarded")
                .doesNotContain("connection", "upgrade");
        assertThat(backend.subprotocols()).containsExactly("v1", "v2");
    }

    @Test
    void appliesEveryPolicysChangesInOrderAndPassesAttributesOn() {
        HandshakePolicy first = HandshakePolicy.of("first", ctx -> HandshakeDecision.proceed()
                .withHeader("X-A", "1").withAttribute("user", "alice"));
        HandshakePolicy second = HandshakePolicy.of("second", ctx -> HandshakeDecision.proceed()
                .withHeader("X-User", ctx.attribute("user", String.class).orElse("?")).withPath("/v2"));
        ChainOutcome.Admitted out = tester.admitted(tester.run(List.of(first, second), HandshakeRequest.builder().build()));
        assertThat(out.backend().headers().first("X-A")).contains("1");
        assertThat(out.backend().headers().first("X-User")).contains("alice");
        assertThat(out.backend().uri().getPath()).isEqualTo("/v2");
        assertThat(out.attributes()).containsEntry("user", "alice");
    }

    @Test
    void stopsAtTheFirstRejection() {
        AtomicBoolean ranAfter = new AtomicBoolean();
        HandshakePolicy no = HandshakePolicy.of("no", ctx -> HandshakeDecision.reject(403, "NOPE", "no"));
        HandshakePolicy after = HandshakePolicy.of("after", ctx -> {
            ranAfter.set(true);
            return HandshakeDecision.proceed();
        });
        ChainOutcome.Rejected out = tester.rejected(tester.run(List.of(no, after), HandshakeRequest.builder().build()));
        assertThat(out.policy()).isEqualTo("no");
        assertThat(out.rejection().code()).isEqualTo("NOPE");
        assertThat(ranAfter).isFalse();
    }

    @Test
    void reportsAThrowingPolicyAsFailedNotRejected() {
        HandshakePolicy boom = HandshakePolicy.of("boom", ctx -> {
            throw new IOException("db down");
        });
        assertThat(tester.run(boom, HandshakeRequest.builder().build()))
                .isInstanceOfSatisfying(ChainOutcome.Failed.class, f -> {
                    assertThat(f.policy()).isEqualTo("boom");
                    assertThat(f.cause()).isInstanceOf(IOException.class);
                });
    }

    @Test
    void reportsAPolicyWhoseStageNeverCompletesAsFailedAfterTheTimeout() {
        HandshakePolicy silent = ctx -> new CompletableFuture<>();
        assertThat(tester.withTimeout(Duration.ofMillis(50)).run(silent, HandshakeRequest.builder().build()))
                .isInstanceOf(ChainOutcome.Failed.class);
    }

    @Test
    void waitsForAnAsynchronousPolicy() {
        CompletableFuture<HandshakeDecision> later = new CompletableFuture<>();
        HandshakePolicy async = ctx -> later;
        HandshakePolicy then = HandshakePolicy.of("then", ctx -> HandshakeDecision.proceed().withHeader("X-Then", "yes"));
        CompletableFuture.runAsync(() -> later.complete(HandshakeDecision.proceed().withHeader("X-Async", "yes")));
        ChainOutcome.Admitted out = tester.admitted(tester.run(List.of(async, then), HandshakeRequest.builder().build()));
        assertThat(out.backend().headers().first("X-Async")).contains("yes");
        assertThat(out.backend().headers().first("X-Then")).contains("yes");
    }

    @Test
    void runsAnApisChainsSelectingTheProductBySubscriptionKey() {
        PolicyCatalog catalog = PolicyCatalog.builder()
                .product(ProductDefinition.builder("gold").subscriptionKeys("k").policies(
                        HandshakePolicy.of("tag", ctx -> HandshakeDecision.proceed().withHeader("X-Product",
                                ctx.attribute(ProductSelection.PRODUCT_ATTRIBUTE, String.class).orElse("?")))).build())
                .build();
        ApiChains chains = catalog.resolve(ApiDefinition.builder("chat").backend("ws://chat:1/").products("gold").build());

        ChainOutcome.Admitted ok = tester.admitted(tester.run(chains,
                HandshakeRequest.builder().header("Ocp-Apim-Subscription-Key", "k").build()));
        assertThat(ok.backend().headers().first("X-Product")).contains("gold");
        assertThat(tester.rejected(tester.run(chains, HandshakeRequest.builder().build())).rejection().code())
                .isEqualTo("SUBSCRIPTION_KEY_MISSING");
    }
}
