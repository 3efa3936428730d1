package io.wsgate.core.policy;

import io.wsgate.api.Direction;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.api.MessagePolicy;
import io.wsgate.api.MessagePolicyEntry;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A product: a named bundle of APIs with its own policies and subscription keys. A request belongs to
 * the product its subscription key belongs to; an API in exactly one product that requires no
 * subscription uses that product without a key.
 *
 * <pre>{@code
 * ProductDefinition gold = ProductDefinition.builder("gold")
 *         .subscriptionKeys("k-123", "k-456")
 *         .policies(RateLimitByKey.rate(100, Duration.ofMinutes(1)).key(RateKey.subscription()).build())
 *         .build();
 * }</pre>
 *
 * @param name                 identifier: letters, digits, '.', '-' and '_'
 * @param subscriptionRequired whether a request must carry one of the product's keys
 * @param subscriptionKeys     the keys that select this product
 * @param policies             the product scope's policies, in order, with at most one {@link Policies#base()}
 * @param messagePolicies      the product scope's message policies, in order, each with its directions, with at most
 *                             one {@link Policies#messageBase()} per direction
 */
public record ProductDefinition(String name, boolean subscriptionRequired, Set<String> subscriptionKeys,
                                List<HandshakePolicy> policies, List<MessagePolicyEntry> messagePolicies) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,255}");

    /** Checks and copies every field. */
    public ProductDefinition {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("product name '" + name
                    + "' is invalid: use letters, digits, '.', '-' and '_', starting with a letter or digit");
        }
        subscriptionKeys = Set.copyOf(subscriptionKeys);
        for (String key : subscriptionKeys) {
            if (key.isBlank()) {
                throw new IllegalArgumentException("product '" + name + "' has a blank subscription key");
            }
        }
        policies = List.copyOf(policies);
        messagePolicies = List.copyOf(messagePolicies);
    }

    /**
     * A product without message policies.
     *
     * @see #ProductDefinition(String, boolean, Set, List, List)
     */
    public ProductDefinition(String name, boolean subscriptionRequired, Set<String> subscriptionKeys,
                             List<HandshakePolicy> policies) {
        this(name, subscriptionRequired, subscriptionKeys, policies, List.of());
    }

    /**
     * @param name the product's identifier
     * @return a builder; by default the product requires a subscription and has no key and no policy
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** @return a builder holding this definition's values */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.subscriptionRequired = subscriptionRequired;
        b.keys.addAll(subscriptionKeys);
        b.policies.addAll(policies);
        b.messagePolicies.addAll(messagePolicies);
        return b;
    }

    /** Builds a {@link ProductDefinition}; not thread-safe. */
    public static final class Builder {
        private final String name;
        private boolean subscriptionRequired = true;
        private final Set<String> keys = new LinkedHashSet<>();
        private final List<HandshakePolicy> policies = new ArrayList<>();
        private final List<MessagePolicyEntry> messagePolicies = new ArrayList<>();

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** Sets whether a request must carry one of the product's keys (default true). */
        public Builder subscriptionRequired(boolean required) {
            this.subscriptionRequired = required;
            return this;
        }

        /** Adds subscription keys. */
        public Builder subscriptionKeys(String... keys) {
            for (String k : keys) {
                this.keys.add(Objects.requireNonNull(k, "subscription key"));
            }
            return this;
        }

        /** Adds policies at the end of the product scope's list. */
        public Builder policies(HandshakePolicy... policies) {
            this.policies.addAll(List.of(policies));
            return this;
        }

        /** Adds policies at the end of the product scope's list. */
        public Builder policies(List<HandshakePolicy> policies) {
            this.policies.addAll(policies);
            return this;
        }

        /** Adds message policies, seeing both directions, at the end of the product scope's message list. */
        public Builder messagePolicies(MessagePolicy... policies) {
            this.messagePolicies.addAll(MessagePolicyEntry.all(null, policies));
            return this;
        }

        /** Adds message policies, seeing one direction, at the end of the product scope's message list. */
        public Builder messagePolicies(Direction direction, MessagePolicy... policies) {
            this.messagePolicies.addAll(MessagePolicyEntry.all(Objects.requireNonNull(direction, "direction"), policies));
            return this;
        }

        /** Adds entries at the end of the product scope's message list. */
        public Builder messagePolicies(List<MessagePolicyEntry> entries) {
            this.messagePolicies.addAll(entries);
            return this;
        }

        /** @return the definition */
        public ProductDefinition build() {
            return new ProductDefinition(name, subscriptionRequired, keys, policies, messagePolicies);
        }
    }
}
