package io.wsgate.core.policy;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.api.Queries;
import io.wsgate.core.error.GatewayError;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The effective chains of one API, computed by {@link PolicyCatalog#resolve(ApiDefinition)}: one per
 * product it belongs to and one for requests of no product. Immutable; {@link #select(HandshakeRequest)}
 * picks a request's chain by its subscription key.
 */
public final class ApiChains {

    private final ApiDefinition api;
    private final Map<String, EffectiveChain> byProduct;
    private final EffectiveChain withoutProduct;
    private final PolicyCatalog catalog;

    ApiChains(ApiDefinition api, Map<String, EffectiveChain> byProduct, EffectiveChain withoutProduct, PolicyCatalog catalog) {
        this.api = api;
        this.byProduct = Map.copyOf(byProduct);
        this.withoutProduct = withoutProduct;
        this.catalog = catalog;
    }

    /** @return the API */
    public ApiDefinition api() {
        return api;
    }

    /**
     * @param product a product's name
     * @return the API's chain for requests of that product
     */
    public Optional<EffectiveChain> forProduct(String product) {
        return Optional.ofNullable(byProduct.get(product));
    }

    /** @return the API's chain for requests of no product (global, API and onHandshake scopes) */
    public EffectiveChain withoutProduct() {
        return withoutProduct;
    }

    /** @return every chain: the products' in the API's order, then the one of no product */
    public List<EffectiveChain> all() {
        List<EffectiveChain> all = new ArrayList<>();
        for (String p : api.products()) {
            all.add(byProduct.get(p));
        }
        all.add(withoutProduct);
        return all;
    }

    /** @return {@link EffectiveChain#explain()} of every chain, one after the other */
    public String explain() {
        return String.join("\n\n", all().stream().map(EffectiveChain::explain).toList());
    }

    /**
     * Picks the chain of a request: a subscription key (header first, then query parameter) selects the
     * product of the API it belongs to; an unknown key is refused with 401 {@code SUBSCRIPTION_KEY_INVALID}.
     * Without a key: an API of no product runs its chain of no product; an API with exactly one product that
     * requires no subscription runs that product's chain; otherwise 401 {@code SUBSCRIPTION_KEY_MISSING}.
     *
     * @param request the client's request
     * @return the selection
     */
    public ProductSelection select(HandshakeRequest request) {
        Optional<String> key = request.header(catalog.subscriptionHeader())
                .or(() -> Queries.parameter(request.query(), catalog.subscriptionQuery()))
                .map(String::trim)
                .filter(k -> !k.isEmpty());
        if (key.isPresent()) {
            for (String name : api.products()) {
                if (catalog.products().get(name).subscriptionKeys().contains(key.get())) {
                    return new ProductSelection.Selected(byProduct.get(name), key.get());
                }
            }
            return new ProductSelection.Refused(GatewayError.SUBSCRIPTION_KEY_INVALID.reject());
        }
        if (api.products().isEmpty()) {
            return new ProductSelection.Selected(withoutProduct, "");
        }
        List<String> open = api.products().stream()
                .filter(p -> !catalog.products().get(p).subscriptionRequired()).toList();
        if (open.size() == 1 && api.products().size() == 1) {
            return new ProductSelection.Selected(byProduct.get(open.get(0)), "");
        }
        return new ProductSelection.Refused(GatewayError.SUBSCRIPTION_KEY_MISSING.reject());
    }

    @Override
    public String toString() {
        return "ApiChains[api=" + api.name() + ", products=" + api.products() + "]";
    }
}
