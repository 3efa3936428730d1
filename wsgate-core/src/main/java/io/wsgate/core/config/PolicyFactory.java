package io.wsgate.core.config;

import io.wsgate.api.HandshakePolicy;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Makes the policy a gateway file names by type. Every built-in policy is made by one (each family of
 * {@code io.wsgate.core.policy} lists its own); custom ones are found with {@link java.util.ServiceLoader}:
 * list the class in {@code META-INF/services/io.wsgate.core.config.PolicyFactory}, or hand it to
 * {@code GatewayFileLoader.withFactory(PolicyFactory)}. A custom factory may not take a built-in's type.
 * Called on the thread that loads the file.
 *
 * <p>Implement one of the two {@code create} methods: {@link #create(Map)} for plain values, or
 * {@link #create(PolicyOptions)} for typed values whose refusals name the line and key.
 *
 * <pre>{@code
 * public final class TenantPolicyFactory implements PolicyFactory {
 *     public String type() { return "check-tenant"; }
 *     public HandshakePolicy create(Map<String, Object> options) {
 *         return new TenantPolicy(String.valueOf(options.getOrDefault("claim", "tenant")));
 *     }
 * }
 * }</pre>
 *
 * <p>In the file: {@code - check-tenant: { claim: tid }}. The same factory serves
 * {@code custom-authorizer} entries, whose {@code type} names it.
 */
public interface PolicyFactory {

    /**
     * @param type the type the file names
     * @param make makes the policy from an entry's options
     * @return a factory of that type
     */
    static PolicyFactory of(String type, Function<PolicyOptions, HandshakePolicy> make) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(make, "make");
        if (type.isBlank()) {
            throw new IllegalArgumentException("a policy type is blank");
        }
        return new PolicyFactory() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public HandshakePolicy create(PolicyOptions options) {
                return make.apply(options);
            }

            @Override
            public String toString() {
                return "PolicyFactory[" + type + "]";
            }
        };
    }

    /** @return the type the file names, e.g. {@code check-tenant}; unlike any built-in policy's */
    String type();

    /**
     * @param options the entry's options as the file holds them: {@code String}, {@code Long},
     *                {@code Double}, {@code Boolean}, {@code List<Object>} and {@code Map<String, Object>}
     *                values, never null; empty when the entry has none
     * @return the policy
     * @throws IllegalArgumentException naming a bad or missing option; the loader adds the file, line and key
     * @throws UnsupportedOperationException when the factory implements {@link #create(PolicyOptions)} only
     */
    default HandshakePolicy create(Map<String, Object> options) {
        throw new UnsupportedOperationException(getClass().getName() + " implements neither create method of PolicyFactory");
    }

    /**
     * The loader calls this one; by default it hands the plain values to {@link #create(Map)}.
     *
     * @param options the entry's options
     * @return the policy
     * @throws GatewayFileException     naming the line and key of a bad or missing option
     * @throws IllegalArgumentException naming a bad or missing option; the loader adds the file, line and key
     */
    default HandshakePolicy create(PolicyOptions options) {
        return create(options.plain());
    }
}
