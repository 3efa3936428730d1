package io.wsgate.core.policy;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.HandshakeContext;
import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.error.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyCatalogTest {

    private static HandshakePolicy p(String name) {
        return HandshakePolicy.of(name, ctx -> HandshakeDecision.proceed());
    }

    private static final HandshakePolicy G1 = p("g1");
    private static final HandshakePolicy G2 = p("g2");
    private static final HandshakePolicy P1 = p("p1");
    private static final HandshakePolicy A1 = p("a1");
    private static final HandshakePolicy O1 = p("o1");
    private static final HandshakePolicy O2 = p("o2");

    private static ApiDefinition.Builder api() {
        return ApiDefinition.builder("chat").backend("ws://chat.internal:8080/");
    }

    private static List<String> names(EffectiveChain chain) {
        return chain.policies().stream().map(HandshakePolicy::name).toList();
    }

    @Test
    void runsEnclosingScopesFirstWhenNoScopeHasABaseMarker() {
        PolicyCatalog catalog = PolicyCatalog.builder().global(G1, G2).build();
        EffectiveChain chain = catalog.resolve(api().policies(A1).onHandshake(O1, O2).build()).withoutProduct();
        assertThat(names(chain)).containsExactly("g1", "g2", "a1", "o1", "o2");
    }

    @Test
    void runsEnclosingScopesFirstWhenTheBaseMarkerStandsFirst() {
        PolicyCatalog catalog = PolicyCatalog.builder().global(G1).build();
        EffectiveChain chain = catalog.resolve(api().onHandshake(Policies.base(), O1, O2).build()).withoutProduct();
        assertThat(names(chain)).containsExactly("g1", "o1", "o2");
    }

    @Test
    void runsEnclosingScopesInTheMiddleWhereTheBaseMarkerStands() {
        PolicyCatalog catalog = PolicyCatalog.builder().global(G1).build();
        EffectiveChain chain = catalog.resolve(api().policies(A1).onHandshake(O1, Policies.base(), O2).build()).withoutProduct();
        assertThat(names(chain)).containsExactly("o1", "g1", "a1", "o2");
    }

    @Test
    void runsEnclosingScopesLastWhenTheBaseMarkerStandsLast() {
        PolicyCatalog catalog = PolicyCatalog.builder().global(G1).build();
        EffectiveChain chain = catalog.resolve(api().policies(A1, Policies.base()).onHandshake(O1, O2, Policies.base()).build())
                .withoutProduct();
        assertThat(names(chain)).containsExactly("o1", "o2", "a1", "g1");
    }

    @Test
    void placesTheProductScopeBetweenGlobalAndApi() {
        PolicyCatalog catalog = PolicyCatalog.builder().global(G1)
                .product(ProductDefinition.builder("gold").subscriptionKeys("k1").policies(P1, Policies.base()).build())
                .build();
        ApiChains chains = catalog.resolve(api().products("gold").policies(A1).onHandshake(O1).build());
        assertThat(names(chains.forProduct("gold").orElseThrow())).containsExactly("p1", "g1", "a1", "o1");
        assertThat(names(chains.withoutProduct())).containsExactly("g1", "a1", "o1");
        assertThat(chains.forProduct("gold").orElseThrow().product()).contains("gold");
    }

    @Test
    void refusesTwoBaseMarkersInOneScopeNamingTheScopeAndTheFix() {
        ApiDefinition api = api().onHandshake(Policies.base(), O1, Policies.base()).build();
        assertThatThrownBy(() -> PolicyCatalog.empty().resolve(api))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("onHandshake scope of API 'chat'")
                .hasMessageContaining("2 base markers")
                .hasMessageContaining("keep one Policies.base()");
    }

    @Test
    void refusesTwoBaseMarkersInAProductWhenTheCatalogIsBuilt() {
        ProductDefinition bad = ProductDefinition.builder("gold").policies(Policies.base(), Policies.base()).build();
        assertThatThrownBy(() -> PolicyCatalog.builder().product(bad).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("product scope of product 'gold'");
    }

    @Test
    void refusesAnInapplicableKindPlacedOnTheOnHandshakeOperation() {
        ApiDefinition api = api().onHandshake(O1, Policies.inapplicable("mock-response")).build();
        assertThatThrownBy(() -> PolicyCatalog.empty().resolve(api))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("onHandshake scope of API 'chat'")
                .hasMessageContaining("policy 'mock-response' cannot apply to a WebSocket handshake")
                .hasMessageContaining("may only be inherited");
    }

    @Test
    void refusesAUserPolicyThatDeclaresItselfInapplicableWhenPlacedOnTheApiScope() {
        ApiDefinition api = api().policies(new HttpOnly()).build();
        assertThatThrownBy(() -> PolicyCatalog.empty().resolve(api))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("API scope of API 'chat'")
                .hasMessageContaining("'http-only'");
    }

    @Test
    void skipsInapplicablePoliciesInheritedFromGlobalAndProductAndExplainsWhy() {
        PolicyCatalog catalog = PolicyCatalog.builder().global(G1, Policies.inapplicable("CORS"))
                .product(ProductDefinition.builder("gold").subscriptionRequired(false).policies(new HttpOnly(), P1).build())
                .build();
        ApiChains chains = catalog.resolve(api().products("gold").onHandshake(O1).build());
        EffectiveChain gold = chains.forProduct("gold").orElseThrow();

        assertThat(names(gold)).containsExactly("g1", "p1", "o1");
        assertThat(gold.steps()).hasSize(5);
        assertThat(gold.skipped()).extracting(s -> s.policy().name()).containsExactly("cors", "http-only");
        assertThat(gold.skipped()).extracting(ChainStep::scope).containsExactly(PolicyScope.GLOBAL, PolicyScope.PRODUCT);
        assertThat(gold.explain()).isEqualTo("""
                API 'chat', product 'gold': 3 of 5 steps run
                1. global 'default': g1
                2. global 'default': cors (skipped: inherited policy 'cors' does not apply to a WebSocket handshake)
                3. product 'gold': http-only (skipped: inherited policy 'http-only' does not apply to a WebSocket handshake)
                4. product 'gold': p1
                5. onHandshake 'chat': o1""");
    }

    @Test
    void treatsAPolicyNamedLikeAnInapplicableKindAsInapplicable() {
        assertThat(Policies.appliesToHandshake(p("set-body"))).isFalse();
        assertThat(Policies.appliesToHandshake(p("set-header"))).isTrue();
    }

    @Test
    void refusesAnUnknownInapplicableKindName() {
        assertThatThrownBy(() -> Policies.inapplicable("validate-jwt"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'validate-jwt'");
    }

    @Test
    void refusesAnApiThatNamesAnUnknownProduct() {
        assertThatThrownBy(() -> PolicyCatalog.empty().resolve(api().products("silver").build()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("API 'chat'")
                .hasMessageContaining("product 'silver', which does not exist");
    }

    @Test
    void refusesTwoProductsSharingASubscriptionKey() {
        assertThatThrownBy(() -> PolicyCatalog.builder()
                .product(ProductDefinition.builder("a").subscriptionKeys("k").build(),
                        ProductDefinition.builder("b").subscriptionKeys("k").build())
                .build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("products 'a' and 'b'");
    }

    @Test
    void refusesAProductDeclaredTwice() {
        ProductDefinition a = ProductDefinition.builder("a").build();
        assertThatThrownBy(() -> PolicyCatalog.builder().product(a, a))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("product 'a'");
    }

    @Test
    void keepsTheEffectiveChainImmutable() {
        EffectiveChain chain = PolicyCatalog.builder().global(G1).build().resolve(api().build()).withoutProduct();
        assertThatThrownBy(() -> chain.policies().add(G2)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> chain.steps().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void keepsOldApiDefinitionsWithoutApiScopePolicies() {
        ApiDefinition api = api().onHandshake(O1).build();
        assertThat(api.policies()).isEmpty();
        assertThat(api.toBuilder().policies(A1).build().policies()).containsExactly(A1);
    }

    // --- subscription selection

    private static final PolicyCatalog PRODUCTS = PolicyCatalog.builder()
            .product(ProductDefinition.builder("gold").subscriptionKeys("gold-key").policies(P1).build(),
                    ProductDefinition.builder("free").subscriptionRequired(false).subscriptionKeys("free-key").build())
            .build();

    @Test
    void selectsTheProductOfTheSubscriptionKeyInTheHeader() {
        ApiChains chains = PRODUCTS.resolve(api().products("gold", "free").build());
        ProductSelection s = chains.select(HandshakeRequest.builder().header("Ocp-Apim-Subscription-Key", "gold-key").build());
        assertThat(s).isInstanceOfSatisfying(ProductSelection.Selected.class, sel -> {
            assertThat(sel.chain().product()).contains("gold");
            assertThat(sel.key()).contains("gold-key");
        });
    }

    @Test
    void selectsTheProductOfTheSubscriptionKeyInTheQuery() {
        ApiChains chains = PRODUCTS.resolve(api().products("gold", "free").build());
        ProductSelection s = chains.select(HandshakeRequest.builder().query("a=1&subscription-key=free-key").build());
        assertThat(s).isInstanceOfSatisfying(ProductSelection.Selected.class,
                sel -> assertThat(sel.chain().product()).contains("free"));
    }

    @Test
    void refusesAnUnknownSubscriptionKeyWith401() {
        ApiChains chains = PRODUCTS.resolve(api().products("gold").build());
        ProductSelection s = chains.select(HandshakeRequest.builder().header("Ocp-Apim-Subscription-Key", "free-key").build());
        assertThat(s).isInstanceOfSatisfying(ProductSelection.Refused.class, r -> {
            assertThat(r.rejection().status()).isEqualTo(401);
            assertThat(r.rejection().code()).isEqualTo("SUBSCRIPTION_KEY_INVALID");
        });
    }

    @Test
    void refusesAMissingKeyWhenTheProductRequiresASubscription() {
        ApiChains chains = PRODUCTS.resolve(api().products("gold").build());
        assertThat(chains.select(HandshakeRequest.builder().build()))
                .isInstanceOfSatisfying(ProductSelection.Refused.class,
                        r -> assertThat(r.rejection().code()).isEqualTo("SUBSCRIPTION_KEY_MISSING"));
    }

    @Test
    void usesTheOnlyOpenProductWithoutAKey() {
        ApiChains chains = PRODUCTS.resolve(api().products("free").build());
        assertThat(chains.select(HandshakeRequest.builder().build()))
                .isInstanceOfSatisfying(ProductSelection.Selected.class,
                        sel -> assertThat(sel.chain().product()).contains("free"));
    }

    @Test
    void usesTheChainOfNoProductForAnApiOfNoProduct() {
        ApiChains chains = PRODUCTS.resolve(api().build());
        assertThat(chains.select(HandshakeRequest.builder().build()))
                .isInstanceOfSatisfying(ProductSelection.Selected.class,
                        sel -> assertThat(sel.chain().product()).isEmpty());
    }

    @Test
    void readsTheSubscriptionKeyFromConfiguredNames() {
        PolicyCatalog catalog = PRODUCTS.toBuilder().subscriptionHeader("X-Key").subscriptionQuery("key").build();
        ApiChains chains = catalog.resolve(api().products("gold").build());
        assertThat(chains.select(HandshakeRequest.builder().header("X-Key", "gold-key").build()))
                .isInstanceOf(ProductSelection.Selected.class);
        assertThat(chains.select(HandshakeRequest.builder().query("key=gold-key").build()))
                .isInstanceOf(ProductSelection.Selected.class);
    }

    /** A user policy written for HTTP APIs. */
    static final class HttpOnly implements HandshakePolicy {
        @Override
        public CompletionStage<HandshakeDecision> evaluate(HandshakeContext context) {
            return CompletableFuture.completedFuture(HandshakeDecision.proceed());
        }

        @Override
        public String name() {
            return "http-only";
        }

        @Override
        public boolean appliesToHandshake() {
            return false;
        }
    }
}
