package io.wsgate.core.internal.config;

import io.wsgate.core.config.GatewayFileException;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one map of the file strictly: every key read is known, and {@link #finish()} refuses any other,
 * naming it and the keys allowed there.
 */
public final class MapReader {

    private final Source source;
    private final YamlNode.Mapping node;
    private final String path;
    private final Set<String> known = new LinkedHashSet<>();
    private final Set<String> missing = new LinkedHashSet<>();

    private MapReader(Source source, YamlNode.Mapping node, String path) {
        this.source = source;
        this.node = node;
        this.path = path;
    }

    /**
     * @param source the file
     * @param node   a node that must be a map (an empty value counts as an empty map)
     * @param path   its path
     * @return a reader of it
     */
    public static MapReader of(Source source, YamlNode node, String path) {
        if (node instanceof YamlNode.Mapping m) {
            return new MapReader(source, m, path);
        }
        if (node instanceof YamlNode.Scalar s && s.kind() == YamlNode.Kind.NULL) {
            return new MapReader(source, new YamlNode.Mapping(s.line(), s.column(), Map.of()), path);
        }
        throw source.error(node, path, "expected a map of keys, got " + node.describe());
    }

    /** @return the map's node */
    public YamlNode.Mapping node() {
        return node;
    }

    /** @return the map's path */
    public String path() {
        return path;
    }

    /** @return the file */
    public Source source() {
        return source;
    }

    /** @return a key's path */
    public String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** @return the key's value, when the map has it with a value */
    public Optional<YamlNode> get(String key) {
        known.add(key);
        YamlNode.Entry e = node.entries().get(key);
        if (e == null) {
            missing.add(key);
        }
        if (e == null || e.value() instanceof YamlNode.Scalar s && s.kind() == YamlNode.Kind.NULL) {
            return Optional.empty();
        }
        return Optional.of(e.value());
    }

    /**
     * @return the key's value; an error at the map when it is missing, or first at an unknown key that looks like
     *         a misspelling of it
     */
    public YamlNode require(String key) {
        Optional<YamlNode> value = get(key);
        if (value.isPresent()) {
            return value.get();
        }
        throw misspelling(key).orElseGet(() -> source.error(node, path(key), "is required here"));
    }

    /**
     * A key read as missing while the map holds an unknown key that is a near miss of it: the likelier mistake,
     * to report before what followed from it.
     *
     * @return the error at the first such unknown key
     */
    public Optional<GatewayFileException> misspelling() {
        for (String key : missing) {
            Optional<GatewayFileException> e = misspelling(key);
            if (e.isPresent()) {
                return e;
            }
        }
        return Optional.empty();
    }

    private Optional<GatewayFileException> misspelling(String wanted) {
        for (YamlNode.Entry e : node.entries().values()) {
            if (!known.contains(e.key()) && NearMiss.of(e.key(), wanted)) {
                return Optional.of(source.error(e, path(e.key()), "unknown key '" + e.key() + "': did you mean '" + wanted + "'?"));
            }
        }
        return Optional.empty();
    }

    /** @return the key's text */
    public Optional<String> text(String key) {
        return get(key).map(n -> source.text(n, path(key)));
    }

    /** @return the key's text; required */
    public String requireText(String key) {
        return source.text(require(key), path(key));
    }

    /** @return the key's texts (one, or a list) */
    public List<String> texts(String key) {
        return get(key).map(n -> source.texts(n, path(key))).orElse(List.of());
    }

    /** @return the key's boolean */
    public Optional<Boolean> bool(String key) {
        return get(key).map(n -> source.bool(n, path(key)));
    }

    /** @return the key's whole number */
    public Optional<Long> integer(String key, long min, long max) {
        return get(key).map(n -> source.integer(n, path(key), min, max));
    }

    /** @return the key's positive duration */
    public Optional<Duration> positiveDuration(String key) {
        return get(key).map(n -> source.positiveDuration(n, path(key)));
    }

    /** @return the key's map */
    public Optional<MapReader> map(String key) {
        return get(key).map(n -> of(source, n, path(key)));
    }

    /**
     * Refuses every key that was not read.
     *
     * @throws io.wsgate.core.config.GatewayFileException at the first unknown key
     */
    public void finish() {
        for (YamlNode.Entry e : node.entries().values()) {
            if (!known.contains(e.key())) {
                String guess = known.stream().filter(k -> NearMiss.of(e.key(), k)).findFirst()
                        .map(k -> " (did you mean '" + k + "'?)").orElse("");
                throw source.error(e, path(e.key()), "unknown key '" + e.key() + "'" + guess + "; the keys allowed here are " + known);
            }
        }
    }
}
