package io.wsgate.core.policy;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.Direction;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.api.MessagePolicy;
import io.wsgate.api.MessagePolicyEntry;
import io.wsgate.core.error.ConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The policies outside any API: the gateway's global list and the products, plus where a request's
 * subscription key is read. Immutable; {@link #resolve(ApiDefinition)} computes an API's effective chains
 * once per configuration change.
 *
 * <pre>{@code
 * PolicyCatalog catalog = PolicyCatalog.builder()
 *         .global(IpFilter.builder().forbid("10.0.0.0/8").build())
 *         .product(gold)
 *         .build();
 * ApiChains chains = catalog.resolve(api);       // at configuration time
 * ProductSelection s = chains.select(request);   // per request
 * }</pre>
 */
public final class PolicyCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyCatalog.class);

    /** The default header that carries a subscription key. */
    public static final String DEFAULT_SUBSCRIPTION_HEADER = "Ocp-Apim-Subscription-Key";
    /** The default query parameter that carries a subscription key. */
    public static final String DEFAULT_SUBSCRIPTION_QUERY = "subscription-key";

    private final String gateway;
    private final List<HandshakePolicy> global;
    private final Map<String, ProductDefinition> products;
    private final String subscriptionHeader;
    private final String subscriptionQuery;
    private final List<ChainStep> globalSteps;
    private final List<MessagePolicyEntry> globalMessages;
    /** The global scope's message steps: inbound, outbound. */
    private final List<List<MessageChains.Step>> globalMessageSteps;

    private PolicyCatalog(Builder b) {
        this.gateway = b.gateway;
        this.global = List.copyOf(b.global);
        this.products = Collections.unmodifiableMap(new LinkedHashMap<>(b.products));
        this.subscriptionHeader = b.subscriptionHeader;
        this.subscriptionQuery = b.subscriptionQuery;
        this.globalSteps = List.copyOf(ChainResolver.merge(List.of(), PolicyScope.GLOBAL, gateway, global));
        this.globalMessages = List.copyOf(b.globalMessages);
        List<List<MessageChains.Step>> steps = new ArrayList<>(2);
        for (Direction d : Direction.values()) {
            steps.add(List.copyOf(ChainResolver.mergeMessages(List.of(), d, PolicyScope.GLOBAL, gateway, globalMessages)));
        }
        this.globalMessageSteps = List.copyOf(steps);
        for (ProductDefinition p : products.values()) {
            ChainResolver.merge(globalSteps, PolicyScope.PRODUCT, p.name(), p.policies());
            messageSteps(globalMessageSteps, PolicyScope.PRODUCT, p.name(), p.messagePolicies());
        }
        checkKeysAreUnique();
    }

    private void checkKeysAreUnique() {
        Map<String, String> owner = new LinkedHashMap<>();
        for (ProductDefinition p : products.values()) {
            for (String key : p.subscriptionKeys()) {
                String other = owner.putIfAbsent(key, p.name());
                if (other != null) {
                    throw ConfigurationException.of("products '" + other + "' and '" + p.name() + "'",
                            "share a subscription key", "give each product its own keys: a key selects one product");
                }
            }
        }
    }

    /** @return a catalog with no global policy and no product */
    public static PolicyCatalog empty() {
        return builder().build();
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this catalog's values */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.gateway = gateway;
        b.global.addAll(global);
        b.globalMessages.addAll(globalMessages);
        b.products.putAll(products);
        b.subscriptionHeader = subscriptionHeader;
        b.subscriptionQuery = subscriptionQuery;
        return b;
    }

    /** @return the global scope's list, as declared */
    public List<HandshakePolicy> global() {
        return global;
    }

    /** @return the global scope's message policies, as declared */
    public List<MessagePolicyEntry> messagePolicies() {
        return globalMessages;
    }

    /** @return the products by name, in declaration order */
    public Map<String, ProductDefinition> products() {
        return products;
    }

    /** @return the header that carries a subscription key */
    public String subscriptionHeader() {
        return subscriptionHeader;
    }

    /** @return the query parameter that carries a subscription key */
    public String subscriptionQuery() {
        return subscriptionQuery;
    }

    /**
     * Computes the effective chains of an API: one per product it belongs to, and one for requests of no
     * product. Inherited policies that cannot apply to a handshake are kept as skipped steps and logged
     * here, once per API.
     *
     * @param api the API
     * @return its chains
     * @throws ConfigurationException when the API names an unknown product, holds two base markers in a scope,
     *                                or holds a policy inapplicable to handshakes
     */
    public ApiChains resolve(ApiDefinition api) {
        Objects.requireNonNull(api, "api");
        Map<String, EffectiveChain> byProduct = new LinkedHashMap<>();
        for (String name : api.products()) {
            ProductDefinition product = products.get(name);
            if (product == null) {
                throw ConfigurationException.of("API '" + api.name() + "'", "belongs to product '" + name + "', which does not exist",
                        "declare the product in the gateway configuration, or remove it from the API; known products: "
                                + products.keySet().stream().sorted().toList());
            }
            List<ChainStep> productSteps = ChainResolver.merge(globalSteps, PolicyScope.PRODUCT, name, product.policies());
            List<List<MessageChains.Step>> productMessages = messageSteps(globalMessageSteps, PolicyScope.PRODUCT, name,
                    product.messagePolicies());
            byProduct.put(name, new EffectiveChain(api.name(), name, apiSteps(api, productSteps), apiMessages(api, productMessages)));
        }
        EffectiveChain none = new EffectiveChain(api.name(), "", apiSteps(api, globalSteps), apiMessages(api, globalMessageSteps));
        ApiChains chains = new ApiChains(api, byProduct, none, this);
        reportSkipped(chains);
        return chains;
    }

    private static List<ChainStep> apiSteps(ApiDefinition api, List<ChainStep> enclosing) {
        List<ChainStep> apiSteps = ChainResolver.merge(enclosing, PolicyScope.API, api.name(), api.policies());
        return ChainResolver.merge(apiSteps, PolicyScope.ON_HANDSHAKE, api.name(), api.onHandshake());
    }

    private static MessageChains apiMessages(ApiDefinition api, List<List<MessageChains.Step>> enclosing) {
        List<List<MessageChains.Step>> apiSteps = messageSteps(enclosing, PolicyScope.API, api.name(), api.messagePolicies());
        List<List<MessageChains.Step>> operation = messageSteps(apiSteps, PolicyScope.ON_MESSAGE, api.name(), api.onMessage());
        return new MessageChains(operation.get(0), operation.get(1));
    }

    /** Merges a scope's message list into the enclosing steps, inbound and outbound. */
    private static List<List<MessageChains.Step>> messageSteps(List<List<MessageChains.Step>> enclosing, PolicyScope scope,
                                                               String name, List<MessagePolicyEntry> own) {
        return List.of(
                ChainResolver.mergeMessages(enclosing.get(0), Direction.CLIENT_TO_BACKEND, scope, name, own),
                ChainResolver.mergeMessages(enclosing.get(1), Direction.BACKEND_TO_CLIENT, scope, name, own));
    }

    private static void reportSkipped(ApiChains chains) {
        List<String> skipped = new ArrayList<>();
        for (EffectiveChain c : chains.all()) {
            for (ChainStep s : c.skipped()) {
                String line = s.describe();
                if (!skipped.contains(line)) {
                    skipped.add(line);
                }
            }
        }
        if (!skipped.isEmpty()) {
            LOG.warn("API '{}': {} inherited policy step(s) do not apply to WebSocket handshakes and are skipped: {}",
                    chains.api().name(), skipped.size(), skipped);
        }
    }

    /** Builds a {@link PolicyCatalog}; not thread-safe. */
    public static final class Builder {
        private String gateway = "default";
        private final List<HandshakePolicy> global = new ArrayList<>();
        private final List<MessagePolicyEntry> globalMessages = new ArrayList<>();
        private final Map<String, ProductDefinition> products = new LinkedHashMap<>();
        private String subscriptionHeader = DEFAULT_SUBSCRIPTION_HEADER;
        private String subscriptionQuery = DEFAULT_SUBSCRIPTION_QUERY;

        private Builder() {
        }

        /** Sets the gateway's name, used in messages (default "default"). */
        public Builder gateway(String name) {
            this.gateway = Objects.requireNonNull(name, "gateway");
            return this;
        }

        /** Adds policies at the end of the global scope's list. */
        public Builder global(HandshakePolicy... policies) {
            this.global.addAll(List.of(policies));
            return this;
        }

        /** Adds policies at the end of the global scope's list. */
        public Builder global(List<HandshakePolicy> policies) {
            this.global.addAll(policies);
            return this;
        }

        /** Adds message policies, seeing both directions, at the end of the global scope's message list. */
        public Builder messagePolicies(MessagePolicy... policies) {
            this.globalMessages.addAll(MessagePolicyEntry.all(null, policies));
            return this;
        }

        /** Adds message policies, seeing one direction, at the end of the global scope's message list. */
        public Builder messagePolicies(Direction direction, MessagePolicy... policies) {
            this.globalMessages.addAll(MessagePolicyEntry.all(Objects.requireNonNull(direction, "direction"), policies));
            return this;
        }

        /** Adds entries at the end of the global scope's message list. */
        public Builder messagePolicies(List<MessagePolicyEntry> entries) {
            this.globalMessages.addAll(entries);
            return this;
        }

        /**
         * Adds products.
         *
         * @throws ConfigurationException when a product of that name was already added
         */
        public Builder product(ProductDefinition... products) {
            for (ProductDefinition p : products) {
                Objects.requireNonNull(p, "product");
                if (this.products.putIfAbsent(p.name(), p) != null) {
                    throw ConfigurationException.of("product '" + p.name() + "'", "is declared twice", "give every product its own name");
                }
            }
            return this;
        }

        /** Sets the header that carries a subscription key (default {@value #DEFAULT_SUBSCRIPTION_HEADER}). */
        public Builder subscriptionHeader(String name) {
            this.subscriptionHeader = requireName(name, "subscriptionHeader");
            return this;
        }

        /** Sets the query parameter that carries a subscription key (default {@value #DEFAULT_SUBSCRIPTION_QUERY}). */
        public Builder subscriptionQuery(String name) {
            this.subscriptionQuery = requireName(name, "subscriptionQuery");
            return this;
        }

        private static String requireName(String name, String what) {
            Objects.requireNonNull(name, what);
            if (name.isBlank()) {
                throw new IllegalArgumentException(what + " is blank");
            }
            return name;
        }

        /**
         * @return the catalog
         * @throws ConfigurationException on two base markers in a scope, or a key shared by two products
         */
        public PolicyCatalog build() {
            return new PolicyCatalog(this);
        }
    }
}
