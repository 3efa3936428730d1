/**
 * Handshake policies: scopes and their {@code base} marker, products, the effective chain of an API,
 * the built-in policies, and {@link io.wsgate.core.policy.PolicyTester} for testing a policy without a server.
 */
package io.wsgate.core.policy;
