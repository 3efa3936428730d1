package io.wsgate.core.policy;

import io.wsgate.api.HandshakePolicy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The resolved, immutable policy chain of one API for one product (or for requests of no product):
 * every step in the order it runs, including those skipped. Computed once per configuration change by
 * {@link PolicyCatalog}, never per request.
 */
public final class EffectiveChain {

    private final String api;
    private final String product;
    private final List<ChainStep> steps;
    private final List<HandshakePolicy> policies;
    private final MessageChains messages;

    /**
     * @param api     the API's name
     * @param product the product's name, or "" for requests of no product
     * @param steps   every step, in order
     * @param messages the message policies of the pairs this chain admits
     */
    EffectiveChain(String api, String product, List<ChainStep> steps, MessageChains messages) {
        this.api = Objects.requireNonNull(api, "api");
        this.product = Objects.requireNonNull(product, "product");
        this.steps = List.copyOf(steps);
        this.policies = this.steps.stream().filter(ChainStep::runs).map(ChainStep::policy).toList();
        this.messages = Objects.requireNonNull(messages, "messages");
    }

    /**
     * A chain of the given policies only, all at the onHandshake scope of a test API; for tests and tools.
     *
     * @param api      the API's name
     * @param policies the policies, in order
     * @return the chain
     */
    public static EffectiveChain of(String api, List<HandshakePolicy> policies) {
        return new EffectiveChain(api, "", policies.stream()
                .map(p -> new ChainStep(p, PolicyScope.ON_HANDSHAKE, api, true, "")).toList(), MessageChains.none());
    }

    /** @return the API's name */
    public String api() {
        return api;
    }

    /** @return the product whose chain this is; empty for requests of no product */
    public Optional<String> product() {
        return product.isEmpty() ? Optional.empty() : Optional.of(product);
    }

    /** @return every step in order, the skipped ones too */
    public List<ChainStep> steps() {
        return steps;
    }

    /** @return the policies that run, in order */
    public List<HandshakePolicy> policies() {
        return policies;
    }

    /** @return the message policies of the pairs this chain admits, per direction */
    public MessageChains messages() {
        return messages;
    }

    /** @return the steps that are skipped */
    public List<ChainStep> skipped() {
        return steps.stream().filter(s -> !s.runs()).toList();
    }

    /** @return a readable listing: one numbered line per step, with its scope and whether it runs */
    public String explain() {
        StringBuilder b = new StringBuilder("API '").append(api).append('\'');
        if (!product.isEmpty()) {
            b.append(", product '").append(product).append('\'');
        }
        b.append(": ").append(policies.size()).append(" of ").append(steps.size()).append(" steps run");
        for (int i = 0; i < steps.size(); i++) {
            b.append('\n').append(i + 1).append(". ").append(steps.get(i).describe());
        }
        List<String> onMessage = messages.describe();
        if (!onMessage.isEmpty()) {
            b.append("\nmessage policies:");
            for (int i = 0; i < onMessage.size(); i++) {
                b.append('\n').append(i + 1).append(". ").append(onMessage.get(i));
            }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "EffectiveChain[api=" + api + (product.isEmpty() ? "" : ", product=" + product) + ", policies="
                + policies.stream().map(HandshakePolicy::name).toList() + (messages.isEmpty() ? "" : ", " + messages) + "]";
    }
}
