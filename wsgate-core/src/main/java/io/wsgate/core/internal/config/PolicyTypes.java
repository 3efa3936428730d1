package io.wsgate.core.internal.config;

import io.wsgate.core.config.PolicyFactory;
import io.wsgate.core.error.ConfigurationException;
import io.wsgate.core.policy.backend.BackendFactories;
import io.wsgate.core.policy.custom.CustomFactories;
import io.wsgate.core.policy.jwt.JwtFactories;
import io.wsgate.core.policy.limit.LimitFactories;
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
 * A custom factory that claims a built-in's type, or two that claim one type, are configuration errors.
 */
public final class PolicyTypes {

    /** The factories of the built-in policies, family by family. */
    private static final List<PolicyFactory> BUILT_IN = Stream.of(JwtFactories.all(), NetworkFactories.all(),
            LimitFactories.all(), BackendFactories.all(), CustomFactories.all()).flatMap(List::stream).toList();

    private final Map<String, PolicyFactory> builtIn;
    private final Map<String, PolicyFactory> custom;

    private PolicyTypes(Map<String, PolicyFactory> builtIn, Map<String, PolicyFactory> custom) {
        this.builtIn = Collections.unmodifiableMap(builtIn);
        this.custom = Collections.unmodifiableMap(custom);
    }

    /**
     * @param found factories found through {@link java.util.ServiceLoader}; two of different classes may not share a type
     * @param given factories given to the loader, in order; each wins over a found one of its type
     * @return the types
     * @throws ConfigurationException when a custom factory claims a built-in type, or two found ones claim one type
     */
    public static PolicyTypes of(List<PolicyFactory> found, List<PolicyFactory> given) {
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
        return new PolicyTypes(builtIn, custom);
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

    /** @return the factory of a custom type */
    Optional<PolicyFactory> custom(String type) {
        return Optional.ofNullable(custom.get(type));
    }

    /** @return the built-in types, sorted */
    Set<String> builtInTypes() {
        return new TreeSet<>(builtIn.keySet());
    }

    /** @return the custom types, sorted; empty when no custom factory was found */
    public Set<String> customTypes() {
        return new TreeSet<>(custom.keySet());
    }
}
