package io.wsgate.core.internal.config;

import io.wsgate.api.Direction;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.api.MessagePolicy;
import io.wsgate.api.MessagePolicyEntry;
import io.wsgate.core.config.GatewayFileException;
import io.wsgate.core.config.MessagePolicyFactory;
import io.wsgate.core.config.PolicyFactory;
import io.wsgate.core.config.PolicyOptions;
import io.wsgate.core.policy.Policies;
import io.wsgate.core.policy.PolicyScope;
import io.wsgate.core.store.LimitStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a scope's list of policies: the {@code base} marker, the kinds that cannot apply to a handshake (refused on
 * an API, kept as skipped stand-ins elsewhere), and every other entry made by the {@link PolicyFactory} of its
 * type, built-in or custom, from {@link PolicyOptions} that refuse the keys it did not read. A type names a handshake
 * policy ({@link PolicyFactory}) or a message policy ({@link MessagePolicyFactory}): the {@code policies} lists of the
 * gateway, products and APIs hold both kinds, {@code onHandshake} handshake policies only and {@code onMessage} message
 * policies only; a message entry's {@code direction} ({@code inbound}, {@code outbound}, {@code both}: the default)
 * is read here, not by its factory. An entry equal to one of the previous load of the file, in the same scope, gets
 * that load's instance ({@link PolicyReuse}) and keeps its state.
 */
public final class PolicyReader {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyReader.class);

    private final Source source;
    private final PolicyTypes types;
    private final Clock clock;
    private final List<String> trustedProxies;
    private final PolicyReuse.Load reuse;
    private final LimitStore store;
    private final String storeKey;

    /**
     * @param source         the file
     * @param types          the policy types and their factories
     * @param clock          the clock of time-based policies
     * @param trustedProxies the gateway's trusted proxies, for ip-filter and client-ip keys
     * @param reuse          the instances of the previous load of the file, and the record of this one's
     */
    public PolicyReader(Source source, PolicyTypes types, Clock clock, List<String> trustedProxies, PolicyReuse.Load reuse) {
        this(source, types, clock, trustedProxies, reuse, LimitStore.inMemory(), "");
    }

    /**
     * @param store    the gateway's limit store, given to the factories
     * @param storeKey the store's entry as written ({@code ""} in memory): part of every entry's reuse key, so that a
     *                 changed store makes every policy afresh
     */
    PolicyReader(Source source, PolicyTypes types, Clock clock, List<String> trustedProxies, PolicyReuse.Load reuse,
                 LimitStore store, String storeKey) {
        this.source = source;
        this.types = types;
        this.clock = clock;
        this.trustedProxies = List.copyOf(trustedProxies);
        this.reuse = reuse;
        this.store = store;
        this.storeKey = storeKey;
    }

    /**
     * The policies of one scope's list, by kind, each in the list's order.
     *
     * @param handshake the handshake policies, with at most one {@link Policies#base()}
     * @param messages  the message policies with their directions, with at most one {@link Policies#messageBase()}
     */
    public record Entries(List<HandshakePolicy> handshake, List<MessagePolicyEntry> messages) {
        /** Copies the lists. */
        public Entries {
            handshake = List.copyOf(handshake);
            messages = List.copyOf(messages);
        }
    }

    /**
     * @param owner     the map holding the list
     * @param key       the list's key
     * @param scope     the scope it belongs to: {@link PolicyScope#ON_HANDSHAKE} holds handshake policies only,
     *                  {@link PolicyScope#ON_MESSAGE} message policies only, the others both
     * @param ownerName the product's or API's name; ignored for the global scope
     * @return the policies in order, by kind
     */
    public Entries list(MapReader owner, String key, PolicyScope scope, String ownerName) {
        Optional<YamlNode> node = owner.get(key);
        if (node.isEmpty()) {
            return new Entries(List.of(), List.of());
        }
        String path = owner.path(key);
        if (!(node.get() instanceof YamlNode.Sequence seq)) {
            throw source.error(node.get(), path, "expected a list of policies, got " + node.get().describe());
        }
        List<HandshakePolicy> out = new ArrayList<>();
        List<MessagePolicyEntry> messages = new ArrayList<>();
        YamlNode firstBase = null;
        for (int i = 0; i < seq.items().size(); i++) {
            YamlNode item = seq.items().get(i);
            String itemPath = path + "[" + i + "]";
            String type;
            YamlNode options;
            YamlNode typeAt = item;
            if (item instanceof YamlNode.Scalar s && s.kind() == YamlNode.Kind.STRING) {
                type = s.text();
                options = new YamlNode.Mapping(s.line(), s.column(), Map.of());
            } else if (item instanceof YamlNode.Mapping m && m.entries().size() == 1) {
                YamlNode.Entry e = m.entries().values().iterator().next();
                type = e.key();
                options = e.value();
                typeAt = new YamlNode.Scalar(e.line(), e.column(), e.key(), YamlNode.Kind.STRING);
            } else {
                throw source.error(item, itemPath, "a policy is written 'base' or as a map with one key, its type,"
                        + " holding its options (e.g. '- check-origin: { allow: [https://app.example.com] }'); got "
                        + item.describe() + (item instanceof YamlNode.Mapping m ? " with keys " + m.entries().keySet() : ""));
            }
            if (type.equals("base")) {
                if (scope == PolicyScope.GLOBAL) {
                    throw source.error(typeAt, itemPath, "the gateway's global list has no enclosing scope: remove 'base'");
                }
                if (firstBase != null) {
                    throw source.error(typeAt, itemPath, "a second 'base' marker in one list (the first is on line "
                            + firstBase.line() + "): keep one where the enclosing scope's policies run");
                }
                if (!(options instanceof YamlNode.Mapping m && m.entries().isEmpty())
                        && !(options instanceof YamlNode.Scalar sc && sc.kind() == YamlNode.Kind.NULL)) {
                    throw source.error(options, itemPath + ".base", "'base' takes no options");
                }
                firstBase = typeAt;
                if (scope != PolicyScope.ON_MESSAGE) {
                    out.add(Policies.base());
                }
                if (scope != PolicyScope.ON_HANDSHAKE) {
                    messages.add(MessagePolicyEntry.both(Policies.messageBase()));
                }
                continue;
            }
            String optionsPath = itemPath + "." + type;
            Optional<MessagePolicyFactory> message = types.messageFactory(type);
            if (message.isPresent()) {
                if (scope == PolicyScope.ON_HANDSHAKE) {
                    throw source.error(typeAt, optionsPath, "'" + type + "' is a message policy: put it in onMessage"
                            + " (or in a policies list), not in onHandshake");
                }
                messages.add(messagePolicy(message.get(), type, options, optionsPath, reuseScope(scope, ownerName)));
                continue;
            }
            if (scope == PolicyScope.ON_MESSAGE) {
                if (types.factory(type).isPresent() || Policies.HANDSHAKE_INAPPLICABLE_KINDS.contains(type.toLowerCase(Locale.ROOT))) {
                    throw source.error(typeAt, optionsPath, "'" + type + "' is a handshake policy: put it in onHandshake"
                            + " (or in a policies list), not in onMessage");
                }
                throw unknown(type, typeAt, optionsPath);
            }
            out.add(policy(type, typeAt, options, optionsPath, scope, reuseScope(scope, ownerName)));
        }
        return new Entries(out, messages);
    }

    private GatewayFileException unknown(String type, YamlNode typeAt, String path) {
        Set<String> custom = types.customTypes();
        return source.error(typeAt, path, "unknown policy type '" + type + "'; built-in: " + types.builtInTypes()
                + (custom.isEmpty() ? "; no custom policy factory was found (see PolicyFactory and MessagePolicyFactory)"
                : "; custom: " + custom));
    }

    /** Reads a message entry: its direction, then its policy, reused when the previous load had an equal entry. */
    private MessagePolicyEntry messagePolicy(MessagePolicyFactory f, String type, YamlNode options, String path,
                                             String reuseScope) {
        YamlNode directionNode = options instanceof YamlNode.Mapping m && m.entries().containsKey("direction")
                ? m.entries().get("direction").value() : null;
        EnumSet<Direction> directions = directionNode == null ? EnumSet.allOf(Direction.class)
                : directions(directionNode, path + ".direction");
        String key = PolicyReuse.key(reuseScope, type + " " + f.getClass().getName(), trustedProxies, options) + storeKey;
        String limitId = reuseScope.replace(' ', ':') + ":" + type + ":" + shortHash(key);
        MessagePolicy p = reuse.reuseOrMake(key, MessagePolicy.class,
                () -> makeMessage(f, options, path, directionNode != null, limitId));
        return new MessagePolicyEntry(p, directions);
    }

    private EnumSet<Direction> directions(YamlNode node, String path) {
        String text = source.text(node, path);
        return switch (text) {
            case "inbound" -> EnumSet.of(Direction.CLIENT_TO_BACKEND);
            case "outbound" -> EnumSet.of(Direction.BACKEND_TO_CLIENT);
            case "both" -> EnumSet.allOf(Direction.class);
            default -> throw source.error(node, path, "'" + text + "' is not a direction: use inbound (client to backend),"
                    + " outbound (backend to client) or both");
        };
    }

    private MessagePolicy makeMessage(MessagePolicyFactory factory, YamlNode options, String path, boolean hasDirection,
                                      String limitId) {
        NodeOptions.Scope scope = new NodeOptions.Scope(source, this, limitId);
        NodeOptions o = new NodeOptions(scope, options, path);
        if (hasDirection) {
            o.get("direction"); // the loader's key: read, so that it is not refused as unknown
        }
        MessagePolicy p;
        try {
            p = o.check(() -> factory.create(o));
        } catch (GatewayFileException e) {
            throw scope.misspelling().orElse(e);
        }
        scope.finish();
        if (p == null) {
            throw source.error(options, path, "the factory of '" + factory.type() + "' made no policy");
        }
        return p;
    }

    /** @return the scope an instance is reused in: an API's two lists are one, so moving an entry keeps it */
    private static String reuseScope(PolicyScope scope, String ownerName) {
        return switch (scope) {
            case GLOBAL -> "gateway";
            case PRODUCT -> "product " + ownerName;
            case API, ON_HANDSHAKE, ON_MESSAGE -> "api " + ownerName;
        };
    }

    private HandshakePolicy policy(String type, YamlNode typeAt, YamlNode options, String path, PolicyScope scope,
                                   String reuseScope) {
        String kind = type.toLowerCase(Locale.ROOT);
        if (Policies.HANDSHAKE_INAPPLICABLE_KINDS.contains(kind)) {
            if (scope.isApiLevel()) {
                throw source.error(typeAt, path, "policy '" + type + "' cannot apply to a WebSocket handshake, so it may not"
                        + " stand in an API's " + scope.label() + " list: remove it (inherited from the gateway or a product,"
                        + " it is skipped)");
            }
            LOG.debug("{}: {}: '{}' is kept as a stand-in that is skipped on handshakes", source.name(), path, type);
            return Policies.inapplicable(kind);
        }
        Optional<PolicyFactory> factory = types.factory(type);
        if (factory.isEmpty()) {
            throw unknown(type, typeAt, path);
        }
        PolicyFactory f = factory.get();
        String key = PolicyReuse.key(reuseScope, type + " " + f.getClass().getName(), trustedProxies, options) + storeKey;
        String limitId = reuseScope.replace(' ', ':') + ":" + type + ":" + shortHash(key);
        HandshakePolicy p = reuse.reuseOrMake(key, HandshakePolicy.class, () -> make(f, options, path, limitId));
        if (scope.isApiLevel() && !Policies.appliesToHandshake(p)) {
            throw source.error(typeAt, path, "policy '" + type + "' declares it cannot apply to a WebSocket handshake,"
                    + " so it may not stand in an API's " + scope.label() + " list: remove it");
        }
        return p;
    }

    /**
     * Makes a policy with its factory; once it returns, the keys of its options that no one read are refused, and
     * when it fails, a misspelled key it missed is reported first.
     */
    private HandshakePolicy make(PolicyFactory factory, YamlNode options, String path, String limitId) {
        NodeOptions.Scope scope = new NodeOptions.Scope(source, this, limitId);
        NodeOptions o = new NodeOptions(scope, options, path);
        HandshakePolicy p;
        try {
            p = o.check(() -> factory.create(o));
        } catch (GatewayFileException e) {
            throw scope.misspelling().orElse(e);
        }
        scope.finish();
        if (p == null) {
            throw source.error(options, path, "the factory of '" + factory.type() + "' made no policy");
        }
        return p;
    }

    /** Makes the policy of a custom type (for {@link PolicyOptions#customPolicy(String, String)}). */
    HandshakePolicy custom(String type, NodeOptions typeAt, NodeOptions options) {
        Optional<PolicyFactory> factory = types.custom(type);
        if (factory.isEmpty()) {
            Set<String> custom = types.customTypes();
            throw typeAt.error("no policy factory of type '" + type + "' was found"
                    + (custom.isEmpty() ? " (see PolicyFactory)" : "; custom: " + custom));
        }
        return make(factory.get(), options.node(), options.path(), typeAt.limitId() + ":" + type);
    }

    /**
     * Reads one value of the file the way a policy's options are read (the gateway's connection limits name
     * their key so), refusing the keys of its maps that were not read.
     *
     * @param node the value
     * @param path its path
     * @param read reads it
     * @return what it read
     */
    public <T> T read(YamlNode node, String path, Function<PolicyOptions, T> read) {
        NodeOptions.Scope scope = new NodeOptions.Scope(source, this, path);
        T value = read.apply(new NodeOptions(scope, node, path));
        scope.finish();
        return value;
    }

    /** @return the clock of time-based policies */
    Clock clock() {
        return clock;
    }

    /** @return the gateway's trusted proxies */
    List<String> trustedProxies() {
        return trustedProxies;
    }

    /** @return the gateway's limit store */
    LimitStore limitStore() {
        return store;
    }

    /** @return the first 8 hex digits of the key's SHA-256: the same entry gets the same id in every instance */
    private static String shortHash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
