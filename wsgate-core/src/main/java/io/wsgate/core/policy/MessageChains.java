package io.wsgate.core.policy;

import io.wsgate.api.Direction;
import io.wsgate.api.MessagePolicy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The resolved message policies of one API for one product (or for requests of no product): one chain per direction,
 * in the order they run, each step with the scope that declared it. Immutable; computed once per configuration by
 * {@link PolicyCatalog}, handed to each pair the chain's handshakes establish (which {@link MessagePolicy#open opens}
 * every policy for itself).
 */
public final class MessageChains {

    private static final MessageChains NONE = new MessageChains(List.of(), List.of());

    /**
     * One step of a direction's chain.
     *
     * @param policy    the policy
     * @param direction the direction it sees here
     * @param scope     the scope that declared it
     * @param scopeName the name of that scope's owner: the gateway, product or API name
     */
    public record Step(MessagePolicy policy, Direction direction, PolicyScope scope, String scopeName) {
        /** Checks every field. */
        public Step {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(direction, "direction");
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(scopeName, "scopeName");
            if (Policies.isBase(policy)) {
                throw new IllegalArgumentException("the base marker is not a step; it is resolved away");
            }
        }

        /** @return one line: scope, direction and policy name */
        public String describe() {
            return scope.label() + " '" + scopeName + "' " + label(direction) + ": " + policy.name();
        }
    }

    private final List<Step> inbound;
    private final List<Step> outbound;
    private final List<MessagePolicy> inboundPolicies;
    private final List<MessagePolicy> outboundPolicies;

    MessageChains(List<Step> inbound, List<Step> outbound) {
        this.inbound = List.copyOf(inbound);
        this.outbound = List.copyOf(outbound);
        this.inboundPolicies = this.inbound.stream().map(Step::policy).toList();
        this.outboundPolicies = this.outbound.stream().map(Step::policy).toList();
    }

    /** @return no message policy either way: the relay's frame path is the plain one */
    public static MessageChains none() {
        return NONE;
    }

    /**
     * Chains of the given policies only, at the onMessage scope of a test API; for tests and tools.
     *
     * @param api      the API's name
     * @param inbound  the policies of frames from the client, in order
     * @param outbound the policies of frames from the backend, in order
     * @return the chains
     */
    public static MessageChains of(String api, List<MessagePolicy> inbound, List<MessagePolicy> outbound) {
        return new MessageChains(steps(api, Direction.CLIENT_TO_BACKEND, inbound), steps(api, Direction.BACKEND_TO_CLIENT, outbound));
    }

    private static List<Step> steps(String api, Direction d, List<MessagePolicy> policies) {
        return policies.stream().map(p -> new Step(p, d, PolicyScope.ON_MESSAGE, api)).toList();
    }

    /**
     * @param direction a direction
     * @return the policies its frames go through, in order; empty when none
     */
    public List<MessagePolicy> policies(Direction direction) {
        return direction == Direction.CLIENT_TO_BACKEND ? inboundPolicies : outboundPolicies;
    }

    /**
     * @param direction a direction
     * @return its steps, in order
     */
    public List<Step> steps(Direction direction) {
        return direction == Direction.CLIENT_TO_BACKEND ? inbound : outbound;
    }

    /** @return true when neither direction has a policy */
    public boolean isEmpty() {
        return inbound.isEmpty() && outbound.isEmpty();
    }

    /** @return one line per step, inbound first; empty when there is none */
    List<String> describe() {
        List<String> lines = new ArrayList<>();
        inbound.forEach(s -> lines.add(s.describe()));
        outbound.forEach(s -> lines.add(s.describe()));
        return lines;
    }

    /** @return {@code inbound} or {@code outbound}, as a gateway file names a direction */
    static String label(Direction d) {
        return d == Direction.CLIENT_TO_BACKEND ? "inbound" : "outbound";
    }

    @Override
    public String toString() {
        return "MessageChains[inbound=" + inboundPolicies.stream().map(MessagePolicy::name).toList()
                + ", outbound=" + outboundPolicies.stream().map(MessagePolicy::name).toList() + "]";
    }
}
