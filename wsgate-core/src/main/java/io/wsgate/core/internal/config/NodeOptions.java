package io.wsgate.core.internal.config;

import io.wsgate.api.HandshakePolicy;
import io.wsgate.core.config.GatewayFileException;
import io.wsgate.core.config.PolicyOptions;
import io.wsgate.core.store.LimitStore;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@link PolicyOptions} over one node of the file. The maps read through it are kept in {@link Scope}, which
 * refuses their unknown keys once the factory has returned (or names a misspelled key when it failed).
 */
final class NodeOptions implements PolicyOptions {

    /** What the options of one policy entry share: the file, the reader of other policies, the maps read. */
    static final class Scope {
        private final Source source;
        private final PolicyReader reader;
        private final String limitId;
        private final List<MapReader> maps = new ArrayList<>();

        Scope(Source source, PolicyReader reader, String limitId) {
            this.source = source;
            this.reader = reader;
            this.limitId = limitId;
        }

        /** Refuses every key that no factory read, in the order the maps were read. */
        void finish() {
            for (MapReader m : maps) {
                m.finish();
            }
        }

        /** @return the error at a misspelled key of a map read, when there is one */
        Optional<GatewayFileException> misspelling() {
            for (MapReader m : maps) {
                Optional<GatewayFileException> e = m.misspelling();
                if (e.isPresent()) {
                    return e;
                }
            }
            return Optional.empty();
        }
    }

    private final Scope scope;
    private final YamlNode node;
    private final String path;
    private MapReader map;

    NodeOptions(Scope scope, YamlNode node, String path) {
        this.scope = scope;
        this.node = node;
        this.path = path;
    }

    private Source source() {
        return scope.source;
    }

    private MapReader map() {
        if (map == null) {
            map = MapReader.of(source(), node, path);
            scope.maps.add(map);
        }
        return map;
    }

    private NodeOptions child(YamlNode value, String childPath) {
        return new NodeOptions(scope, value, childPath);
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public Optional<String> scalar() {
        return node instanceof YamlNode.Scalar s && s.kind() != YamlNode.Kind.NULL ? Optional.of(s.text()) : Optional.empty();
    }

    @Override
    public String text() {
        return source().text(node, path);
    }

    @Override
    public Set<String> keys() {
        return map().node().entries().keySet();
    }

    @Override
    public Optional<PolicyOptions> get(String key) {
        return map().get(key).map(n -> child(n, map().path(key)));
    }

    @Override
    public PolicyOptions require(String key) {
        return child(map().require(key), map().path(key));
    }

    @Override
    public List<PolicyOptions> items(String key) {
        Optional<YamlNode> value = map().get(key);
        if (value.isEmpty()) {
            return List.of();
        }
        List<YamlNode> items = source().items(value.get());
        boolean list = value.get() instanceof YamlNode.Sequence;
        List<PolicyOptions> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(child(items.get(i), list ? map().path(key) + "[" + i + "]" : map().path(key)));
        }
        return out;
    }

    @Override
    public Optional<String> text(String key) {
        return map().text(key);
    }

    @Override
    public String requireText(String key) {
        return map().requireText(key);
    }

    @Override
    public List<String> texts(String key) {
        return map().texts(key);
    }

    @Override
    public Optional<Boolean> bool(String key) {
        return map().bool(key);
    }

    @Override
    public Optional<Long> integer(String key, long min, long max) {
        return map().integer(key, min, max);
    }

    @Override
    public long requireInteger(String key, long min, long max) {
        return source().integer(map().require(key), map().path(key), min, max);
    }

    @Override
    public Optional<Duration> duration(String key) {
        return map().get(key).map(n -> source().duration(n, map().path(key)));
    }

    @Override
    public Optional<Duration> positiveDuration(String key) {
        return map().positiveDuration(key);
    }

    @Override
    public Duration requirePositiveDuration(String key) {
        return source().positiveDuration(map().require(key), map().path(key));
    }

    @Override
    public <T> T check(Supplier<T> step) {
        return source().check(node, path, step);
    }

    @Override
    public GatewayFileException error(String problem) {
        return source().error(node, path, problem);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> plain() {
        if (node instanceof YamlNode.Scalar s && s.kind() == YamlNode.Kind.NULL) {
            return Map.of();
        }
        if (!(node instanceof YamlNode.Mapping m)) {
            throw error("expected a map of options, got " + node.describe());
        }
        m.entries().keySet().forEach(map()::get);
        return (Map<String, Object>) source().plain(node, path);
    }

    @Override
    public Clock clock() {
        return scope.reader.clock();
    }

    @Override
    public List<String> trustedProxies() {
        return scope.reader.trustedProxies();
    }

    @Override
    public LimitStore limitStore() {
        return scope.reader.limitStore();
    }

    @Override
    public String limitId() {
        return scope.limitId;
    }

    @Override
    public HandshakePolicy customPolicy(String typeKey, String optionsKey) {
        String type = requireText(typeKey);
        NodeOptions options = (NodeOptions) get(optionsKey).orElseGet(() ->
                child(new YamlNode.Mapping(node.line(), node.column(), Map.of()), map().path(optionsKey)));
        return scope.reader.custom(type, (NodeOptions) require(typeKey), options);
    }

    /** @return the node these options read */
    YamlNode node() {
        return node;
    }
}
