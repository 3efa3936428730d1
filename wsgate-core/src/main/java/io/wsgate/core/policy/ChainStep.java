package io.wsgate.core.policy;

import io.wsgate.api.HandshakePolicy;

import java.util.Objects;

/**
 * One step of an {@link EffectiveChain}: a policy, the scope it was declared in, and whether it runs.
 *
 * @param policy    the policy
 * @param scope     the scope that declared it
 * @param scopeName the name of that scope's owner: the gateway, product or API name
 * @param runs      false when the step is skipped (a policy inapplicable to handshakes, inherited)
 * @param note      why it is skipped; empty when it runs
 */
public record ChainStep(HandshakePolicy policy, PolicyScope scope, String scopeName, boolean runs, String note) {

    /** Checks every field. */
    public ChainStep {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(scopeName, "scopeName");
        Objects.requireNonNull(note, "note");
        if (Policies.isBase(policy)) {
            throw new IllegalArgumentException("the base marker is not a step; it is resolved away");
        }
    }

    /** @return one line: scope, policy name, and "skipped (why)" when it does not run */
    public String describe() {
        return scope.label() + " '" + scopeName + "': " + policy.name() + (runs ? "" : " (skipped: " + note + ")");
    }
}
