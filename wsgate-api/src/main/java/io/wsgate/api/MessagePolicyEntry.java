package io.wsgate.api;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One entry of a scope's list of message policies: the policy and the directions it is placed on
 * ({@code inbound} is {@link Direction#CLIENT_TO_BACKEND}, {@code outbound} {@link Direction#BACKEND_TO_CLIENT}).
 * Immutable. Made by the builders ({@code onMessage(...)}, {@code messagePolicies(...)}) and the gateway file's
 * {@code direction} key; read by the gateway when it resolves an API's chains.
 *
 * @param policy     the policy (or the scope's {@code base} marker)
 * @param directions the directions it sees, one or both; never empty
 */
public record MessagePolicyEntry(MessagePolicy policy, Set<Direction> directions) {

    /** Checks and copies the fields. */
    public MessagePolicyEntry {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(directions, "directions");
        if (directions.isEmpty()) {
            throw new IllegalArgumentException("a message policy entry has no direction: give inbound, outbound or both");
        }
        directions = Set.copyOf(directions);
    }

    /**
     * @param policy the policy
     * @return an entry seeing both directions
     */
    public static MessagePolicyEntry both(MessagePolicy policy) {
        return new MessagePolicyEntry(policy, EnumSet.allOf(Direction.class));
    }

    /**
     * @param direction the direction the policy sees
     * @param policy    the policy
     * @return an entry seeing that direction only
     */
    public static MessagePolicyEntry of(Direction direction, MessagePolicy policy) {
        return new MessagePolicyEntry(policy, EnumSet.of(Objects.requireNonNull(direction, "direction")));
    }

    /**
     * @param direction the direction the policies see; null for both
     * @param policies  the policies, in order
     * @return one entry per policy
     */
    public static List<MessagePolicyEntry> all(Direction direction, MessagePolicy... policies) {
        return List.of(policies).stream().map(p -> direction == null ? both(p) : of(direction, p)).toList();
    }

    /**
     * @param direction a direction
     * @return true when the policy sees it
     */
    public boolean sees(Direction direction) {
        return directions.contains(direction);
    }

    /** Names the policy and its directions. */
    @Override
    public String toString() {
        return "MessagePolicyEntry[" + policy.name() + " " + (directions.size() == 2 ? "both" : directions.iterator().next()) + "]";
    }
}
