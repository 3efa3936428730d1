package io.wsgate.core.config;

import io.wsgate.api.HandshakePolicy;

import java.util.Map;

/**
 * Makes a custom policy named by type in a gateway file. Implementations are found with
 * {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/io.wsgate.core.config.PolicyFactory}, or hand it to
 * {@link GatewayFileLoader#withFactory(PolicyFactory)}.
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

    /** @return the type the file names, e.g. {@code check-tenant}; unlike any built-in policy's */
    String type();

    /**
     * @param options the entry's options as the file holds them: {@code String}, {@code Long},
     *                {@code Double}, {@code Boolean}, {@code List<Object>} and {@code Map<String, Object>}
     *                values, never null; empty when the entry has none
     * @return the policy
     * @throws IllegalArgumentException naming a bad or missing option; the loader adds the file, line and key
     */
    HandshakePolicy create(Map<String, Object> options);
}
