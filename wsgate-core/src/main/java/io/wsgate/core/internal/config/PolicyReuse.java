package io.wsgate.core.internal.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The policy instances of a loaded gateway file, offered to the next load of that file so that a reload keeps
 * the state (rate-limit buckets, quotas, connection counts) of every policy it leaves unchanged. An instance is
 * found by its {@linkplain #key key}: its scope (the gateway, a product or an API, by name), its type, the
 * gateway's trusted proxies and its options as written, in canonical form (the order of a map's keys and the
 * entry's position in its list do not count). When one scope holds equal entries, the n-th of the new file gets
 * the n-th of the old one. An entry without an equal one in the previous load is made afresh; an instance the
 * new file no longer names is dropped with its state.
 *
 * <p>Immutable; each load records what it uses in a {@link Load} of its own, which becomes the table offered to
 * the load after it only when the load succeeded ({@link Load#finish()}).
 */
public final class PolicyReuse {

    private static final PolicyReuse NONE = new PolicyReuse(Map.of());

    private final Map<String, List<Object>> instances;

    private PolicyReuse(Map<String, List<Object>> instances) {
        this.instances = instances;
    }

    /** @return a table with nothing to reuse: the first load of a file */
    public static PolicyReuse none() {
        return NONE;
    }

    /** @return a new load, reusing from this table */
    public Load begin() {
        return new Load(this);
    }

    /** @return how many instances this table offers */
    public int size() {
        return instances.values().stream().mapToInt(List::size).sum();
    }

    /**
     * @param scope          {@code gateway}, {@code product NAME} or {@code api NAME}
     * @param type           the policy's type as the file names it
     * @param trustedProxies the gateway's trusted proxies (client addresses, hence keys, depend on them)
     * @param options        the entry's options
     * @return the key an equal entry of another load of the file has
     */
    public static String key(String scope, String type, List<String> trustedProxies, YamlNode options) {
        StringBuilder b = new StringBuilder(scope).append('\u0000').append(type).append('\u0000')
                .append(trustedProxies).append('\u0000');
        canonical(options, b);
        return b.toString();
    }

    /** Writes a node so that two equal values, whatever the order of their maps' keys, write the same. */
    private static void canonical(YamlNode node, StringBuilder b) {
        if (node instanceof YamlNode.Mapping m) {
            Map<String, YamlNode> sorted = new TreeMap<>();
            m.entries().forEach((k, e) -> sorted.put(k, e.value()));
            b.append('{');
            sorted.forEach((k, v) -> {
                quote(k, b);
                b.append(':');
                canonical(v, b);
                b.append(',');
            });
            b.append('}');
        } else if (node instanceof YamlNode.Sequence s) {
            b.append('[');
            s.items().forEach(item -> {
                canonical(item, b);
                b.append(',');
            });
            b.append(']');
        } else {
            YamlNode.Scalar s = (YamlNode.Scalar) node;
            b.append(s.kind().name().charAt(0));
            quote(s.text(), b);
        }
    }

    private static void quote(String text, StringBuilder b) {
        b.append('"').append(text.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }

    /** What one load of the file reuses and makes. Used on the thread that loads the file. */
    public static final class Load {
        private final PolicyReuse previous;
        private final Map<String, Integer> taken = new HashMap<>();
        private final Map<String, List<Object>> recorded = new LinkedHashMap<>();
        private int reused;
        private int made;

        private Load(PolicyReuse previous) {
            this.previous = previous;
        }

        /**
         * @param key  the entry's {@linkplain PolicyReuse#key key}
         * @param type the instance's class
         * @param make makes a fresh instance, when the previous load has no equal one to give
         * @return the previous load's instance of that key (the next one not yet taken), or a fresh one
         */
        public <T> T reuseOrMake(String key, Class<T> type, Supplier<T> make) {
            int n = taken.merge(key, 1, Integer::sum) - 1;
            List<Object> old = previous.instances.getOrDefault(key, List.of());
            T instance;
            if (n < old.size() && type.isInstance(old.get(n))) {
                instance = type.cast(old.get(n));
                reused++;
            } else {
                instance = make.get();
                made++;
            }
            recorded.computeIfAbsent(key, k -> new ArrayList<>()).add(instance);
            return instance;
        }

        /** @return how many instances this load took from the previous one */
        public int reused() {
            return reused;
        }

        /** @return how many instances this load made afresh */
        public int made() {
            return made;
        }

        /** @return the table of this load's instances, to offer to the next load once this one succeeded */
        public PolicyReuse finish() {
            Map<String, List<Object>> copy = new LinkedHashMap<>();
            recorded.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            return new PolicyReuse(Collections.unmodifiableMap(copy));
        }
    }
}
