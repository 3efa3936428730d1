package io.wsgate.core.policy;

import io.wsgate.api.Direction;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.api.MessagePolicyEntry;
import io.wsgate.core.error.ConfigurationException;

import java.util.ArrayList;
import java.util.List;

/**
 * Merges a scope's own list into the enclosing scope's effective list, where its {@code base} marker
 * stands (or after it, without one), and applies the rule on policies inapplicable to handshakes. Message policies
 * merge the same way, each direction on its own.
 */
final class ChainResolver {

    private ChainResolver() {
    }

    /**
     * @param enclosing the enclosing scope's effective steps
     * @param scope     this scope
     * @param scopeName the name of this scope's owner (gateway, product or API)
     * @param own       this scope's own list, possibly holding one {@link Policies#base()}
     * @return the effective steps of this scope
     * @throws ConfigurationException on two base markers, or a policy inapplicable to handshakes placed on an API scope
     */
    public static List<ChainStep> merge(List<ChainStep> enclosing, PolicyScope scope, String scopeName,
                                        List<HandshakePolicy> own) {
        String where = scope.label() + " scope of " + owner(scope) + " '" + scopeName + "'";
        int markers = 0;
        for (HandshakePolicy p : own) {
            if (p == null) {
                throw ConfigurationException.of(where, "holds a null policy", "remove it");
            }
            if (Policies.isBase(p)) {
                markers++;
            }
        }
        if (markers > 1) {
            throw ConfigurationException.of(where, "has " + markers + " base markers",
                    "keep one Policies.base() where the enclosing scope's policies must run, or none to run them first");
        }
        List<ChainStep> mine = new ArrayList<>(own.size());
        for (HandshakePolicy p : own) {
            if (Policies.isBase(p)) {
                mine.add(null);
                continue;
            }
            boolean applies = Policies.appliesToHandshake(p);
            if (!applies && scope.isApiLevel()) {
                throw ConfigurationException.of(where, "policy '" + p.name() + "' cannot apply to a WebSocket handshake",
                        "remove it from the API: such policies may only be inherited from the global or a product scope,"
                                + " where they are skipped");
            }
            mine.add(new ChainStep(p, scope, scopeName, applies,
                    applies ? "" : "inherited policy '" + p.name() + "' does not apply to a WebSocket handshake"));
        }
        List<ChainStep> out = new ArrayList<>(enclosing.size() + own.size());
        if (markers == 0) {
            out.addAll(enclosing);
        }
        for (ChainStep s : mine) {
            if (s == null) {
                out.addAll(enclosing);
            } else {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * @param enclosing the enclosing scope's effective steps of that direction
     * @param direction the direction
     * @param scope     this scope
     * @param scopeName the name of this scope's owner (gateway, product or API)
     * @param own       this scope's own message list, possibly holding one {@link Policies#messageBase()} per direction
     * @return the effective steps of this scope in that direction
     * @throws ConfigurationException on a null entry, or two base markers seeing that direction
     */
    static List<MessageChains.Step> mergeMessages(List<MessageChains.Step> enclosing, Direction direction, PolicyScope scope,
                                                  String scopeName, List<MessagePolicyEntry> own) {
        String where = "message policies of the " + scope.label() + " scope of " + owner(scope) + " '" + scopeName + "'";
        int markers = 0;
        for (MessagePolicyEntry e : own) {
            if (e == null) {
                throw ConfigurationException.of(where, "hold a null entry", "remove it");
            }
            if (Policies.isBase(e.policy()) && e.sees(direction)) {
                markers++;
            }
        }
        if (markers > 1) {
            throw ConfigurationException.of(where, "have " + markers + " base markers " + MessageChains.label(direction),
                    "keep one Policies.messageBase() where the enclosing scope's policies must run, or none to run them first");
        }
        List<MessageChains.Step> out = new ArrayList<>(enclosing.size() + own.size());
        if (markers == 0) {
            out.addAll(enclosing);
        }
        for (MessagePolicyEntry e : own) {
            if (!e.sees(direction)) {
                continue;
            }
            if (Policies.isBase(e.policy())) {
                out.addAll(enclosing);
            } else {
                out.add(new MessageChains.Step(e.policy(), direction, scope, scopeName));
            }
        }
        return out;
    }

    private static String owner(PolicyScope scope) {
        return switch (scope) {
            case GLOBAL -> "gateway";
            case PRODUCT -> "product";
            case API, ON_HANDSHAKE, ON_MESSAGE -> "API";
        };
    }
}
