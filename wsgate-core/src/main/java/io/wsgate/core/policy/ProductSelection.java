package io.wsgate.core.policy;

import io.wsgate.api.HandshakeDecision;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which chain a request runs: the chain of the product its subscription key selected (or of no product),
 * or a refusal when the key is missing or unknown.
 */
public sealed interface ProductSelection {

    /** The attribute that holds the subscription key of a request that carried one (a {@code String}). */
    String SUBSCRIPTION_KEY_ATTRIBUTE = "wsgate.subscription.key";
    /** The attribute that holds the name of the request's product (a {@code String}). */
    String PRODUCT_ATTRIBUTE = "wsgate.product";

    /**
     * Run this chain.
     *
     * @param chain           the chain to run
     * @param subscriptionKey the key the request carried; "" when none
     */
    record Selected(EffectiveChain chain, String subscriptionKey) implements ProductSelection {
        /** Checks every field. */
        public Selected {
            Objects.requireNonNull(chain, "chain");
            Objects.requireNonNull(subscriptionKey, "subscriptionKey");
        }

        /** @return the key the request carried */
        public Optional<String> key() {
            return subscriptionKey.isEmpty() ? Optional.empty() : Optional.of(subscriptionKey);
        }

        /**
         * Called by the gateway (and its testing kit) before the chain runs, on the handshake's thread.
         *
         * @return the attributes the chain starts with: {@link #PRODUCT_ATTRIBUTE} and
         *         {@link #SUBSCRIPTION_KEY_ATTRIBUTE}, each when there is one
         */
        public Map<String, Object> attributes() {
            Map<String, Object> attributes = new HashMap<>(2);
            chain.product().ifPresent(p -> attributes.put(PRODUCT_ATTRIBUTE, p));
            key().ifPresent(k -> attributes.put(SUBSCRIPTION_KEY_ATTRIBUTE, k));
            return Map.copyOf(attributes);
        }
    }

    /**
     * Refuse the handshake.
     *
     * @param rejection the refusal (401 {@code SUBSCRIPTION_KEY_MISSING} or {@code SUBSCRIPTION_KEY_INVALID})
     */
    record Refused(HandshakeDecision.Reject rejection) implements ProductSelection {
        /** Checks the field. */
        public Refused {
            Objects.requireNonNull(rejection, "rejection");
        }
    }
}
