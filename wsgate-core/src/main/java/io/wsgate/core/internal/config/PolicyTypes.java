package io.wsgate.core.internal.config;

import io.wsgate.core.config.MessagePolicyFactory;
import io.wsgate.core.config.PolicyFactory;
import io.wsgate.core.error.ConfigurationException;
import io.wsgate.core.policy.backend.BackendFactories;
import io.wsgate.core.policy.custom.CustomFactories;
import io.wsgate.core.policy.jwt.JwtFactories;
import io.wsgate.core.policy.limit.LimitFactories;
import io.wsgate.core.policy.message.MessageFactories;
import io.wsgate.core.policy.network.NetworkFactories;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Every policy type a gateway file may name, each with its {@link PolicyFactory}: the built-in ones, listed by
 * their families, and the custom ones, found through {@link java.util.ServiceLoader} or given to the loader.
 * A custom factory that claims a built-in's type, or two that claim one type, are configuration errors. Message
 * policies ({@link MessagePolicyFactory}) are found the same way; a type names one kind only.
 */
public final class PolicyTypes {

    /** The factories of the built-in policies, family by family. */
    private static final List<PolicyFactory> BUILT_IN = Stream.of(JwtFactories.all(), NetworkFactories.all(),
            LimitFactories.all(), BackendFactories.all(), CustomFactories.all()).flatMap(List::stream).toList();

    private final Map<String, PolicyFactory> builtIn;
    private final Map<String, PolicyFactory> custom;
    private final Map<String, MessagePolicyFactory> messageBuiltIn;
    private final Map<String, MessagePolicyFactory> messageCustom;

    private PolicyTypes(Map<String, PolicyFactory> builtIn, Map<String, PolicyFactory> custom,
                        Map<String, MessagePolicyFactory> messageBuiltIn, Map<String, MessagePolicyFactory> messageCustom) {
        this.builtIn = Collections.unmodifiableMap(builtIn);
        this.custom = Collections.unmodifiableMap(custom);
        this.messageBuiltIn = Collections.unmodifiableMap(messageBuiltIn);
        this.messageCustom = Collections.unmodifiableMap(messageCustom);
    }

    /**
     * @param found         handshake factories found through {@link java.util.ServiceLoader}
     * @param given         handshake factories given to the loader, in order
     * @param foundMessages message factories found through {@link java.util.ServiceLoader}
     * @param givenMessages message factories given to the loader, in order; each wins over a found one of its type
     * @return the types
     * @throws ConfigurationException when a custom factory claims a built-in type, two found ones claim one type, or a
     *                                message type is also a handshake type
     */
    public static PolicyTypes of(List<PolicyFactory> found, List<PolicyFactory> given,
                                 List<MessagePolicyFactory> foundMessages, List<MessagePolicyFactory> givenMessages) {
        PolicyTypes handshake = handshake(found, given);
        Map<String, MessagePolicyFactory> builtIn = new LinkedHashMap<>();
        for (MessagePolicyFactory f : MessageFactories.all()) {
            if (builtIn.putIfAbsent(f.type(), f) != null || handshake.builtIn.containsKey(f.type())) {
                throw new IllegalStateException("two built-in factories of type " + f.type());
            }
        }
        Map<String, MessagePolicyFactory> custom = new LinkedHashMap<>();
        for (MessagePolicyFactory f : foundMessages) {
            addMessage(handshake, builtIn, custom, f, true);
        }
        for (MessagePolicyFactory f : givenMessages) {
            addMessage(handshake, builtIn, custom, f, false);
        }
        return new PolicyTypes(handshake.builtIn, handshake.custom, builtIn, custom);
    }

    private static void addMessage(PolicyTypes handshake, Map<String, MessagePolicyFactory> builtIn,
                                   Map<String, MessagePolicyFactory> custom, MessagePolicyFactory f, boolean found) {
        String type = Objects.requireNonNull(f.type(), () -> f.getClass().getName() + ".type() returned null");
        if (builtIn.containsKey(type) || handshake.builtIn.containsKey(type) || type.equals("base")) {
            throw ConfigurationException.of("message policy factory " + f.getClass().getName(), "claims the built-in type '"
                    + type + "'", "give the custom policy a type of its own");
        }
        if (handshake.custom.containsKey(type)) {
            throw ConfigurationException.of("message policy factory " + f.getClass().getName(), "claims type '" + type
                    + "', which names the handshake policy of " + handshake.custom.get(type).getClass().getName(),
                    "a type names one kind of policy: give the message policy a type of its own");
        }
        MessagePolicyFactory other = custom.get(type);
        if (other != null && found && other.getClass() != f.getClass()) {
            throw ConfigurationException.of("message policy factories " + other.getClass().getName() + " and "
                    + f.getClass().getName(), "both claim type '" + type + "'", "give each custom policy a type of its own");
        }
        custom.put(type, f);
    }

    /**
     * @param found factories found through {@link java.util.ServiceLoader}; two of different classes may not share a type
     * @param given factories given to the loader, in order; each wins over a found one of its type
     * @return the types
     * @throws ConfigurationException when a custom factory claims a built-in type, or two found ones claim one type
     */
    public static PolicyTypes of(List<PolicyFactory> found, List<PolicyFactory> given) {
        return of(found, given, List.of(), List.of());
    }

    private static PolicyTypes handshake(List<PolicyFactory> found, List<PolicyFactory> given) {
        Map<String, PolicyFactory> builtIn = new LinkedHashMap<>();
        for (PolicyFactory f : BUILT_IN) {
            if (builtIn.putIfAbsent(f.type(), f) != null) {
                throw new IllegalStateException("two built-in factories of type " + f.type());
            }
        }
        Map<String, PolicyFactory> custom = new LinkedHashMap<>();
        for (PolicyFactory f : found) {
            add(builtIn, custom, f, true);
        }
        for (PolicyFactory f : given) {
            add(builtIn, custom, f, false);
        }
        return new PolicyTypes(builtIn, custom, Map.of(), Map.of());
    }

    private static void add(Map<String, PolicyFactory> builtIn, Map<String, PolicyFactory> custom, PolicyFactory f, boolean found) {
        String type = Objects.requireNonNull(f.type(), () -> f.getClass().getName() + ".type() returned null");
        if (builtIn.containsKey(type) || type.equals("base")) {
            throw ConfigurationException.of("policy factory " + f.getClass().getName(), "claims the built-in type '" + type + "'",
                    "give the custom policy a type of its own");
        }
        PolicyFactory other = custom.get(type);
        if (other != null && found && other.getClass() != f.getClass()) {
            throw ConfigurationException.of("policy factories " + other.getClass().getName() + " and " + f.getClass().getName(),
                    "both claim type '" + type + "'", "give each custom policy a type of its own");
        }
        custom.put(type, f);
    }

    /** @return the factory of a type, built-in or custom */
    Optional<PolicyFactory> factory(String type) {
        PolicyFactory f = builtIn.get(type);
        return Optional.ofNullable(f != null ? f : custom.get(type));
    }

    /** @return the factory of a message policy type, built-in or custom */
    Optional<MessagePolicyFactory> messageFactory(String type) {
        MessagePolicyFactory f = messageBuiltIn.get(type);
        return Optional.ofNullable(f != null ? f : messageCustom.get(type));
    }

    /** @return the factory of a custom type */
    Optional<PolicyFactory> custom(String type) {
        return Optional.ofNullable(custom.get(type));
    }

    /** @return the built-in types, handshake and message, sorted */
    Set<String> builtInTypes() {
        Set<String> all = new TreeSet<>(builtIn.keySet());
        all.addAll(messageBuiltIn.keySet());
        return all;
    }

    /** @return the custom types, handshake and message, sorted; empty when no custom factory was found */
    public Set<String> customTypes() {
        Set<String> all = new TreeSet<>(custom.keySet());
        all.addAll(messageCustom.keySet());
        return all;
    }
}
