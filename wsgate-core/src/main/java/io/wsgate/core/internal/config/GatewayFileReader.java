package io.wsgate.core.internal.config;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.ApiLimits;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.api.MessagePolicyEntry;
import io.wsgate.api.UrlScheme;
import io.wsgate.core.DrainOptions;
import io.wsgate.core.GatewayConfig;
import io.wsgate.core.error.ConfigurationException;
import io.wsgate.core.error.ErrorOverride;
import io.wsgate.core.error.GatewayError;
import io.wsgate.core.policy.PolicyCatalog;
import io.wsgate.core.policy.PolicyScope;
import io.wsgate.core.policy.ProductDefinition;
import io.wsgate.core.policy.limit.ConnectionLimiter;
import io.wsgate.core.policy.limit.LimitFactories;
import io.wsgate.core.policy.limit.RateKey;
import io.wsgate.core.policy.network.ClientAddresses;
import io.wsgate.core.store.LimitStore;
import io.wsgate.core.store.LimitStoreFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Turns a gateway file's tree into a {@link GatewayConfig} through the same builders code uses, checking on
 * the way everything the builders would refuse later without a location: names, URLs, products, duplicate
 * suffixes, base markers, policies placed where they may not stand.
 */
public final class GatewayFileReader {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayFileReader.class);

    private final Source source;
    private final PolicyTypes types;
    private final Clock clock;
    private final PolicyReuse.Load reuse;
    private final List<LimitStoreFactory> storeFactories;

    /**
     * @param source    the file
     * @param types     the policy types and their factories
     * @param clock     the clock of the configuration and its time-based policies
     * @param reuse     the policy instances of the previous load of the file (to keep the state of unchanged
     *                  ones), and the record of this load's
     */
    public GatewayFileReader(Source source, PolicyTypes types, Clock clock, PolicyReuse.Load reuse) {
        this(source, types, clock, reuse, List.of());
    }

    /** @param storeFactories the factories of the {@code limitStore} types (found through ServiceLoader) */
    public GatewayFileReader(Source source, PolicyTypes types, Clock clock, PolicyReuse.Load reuse,
                             List<LimitStoreFactory> storeFactories) {
        this.source = source;
        this.types = types;
        this.clock = clock;
        this.reuse = reuse;
        this.storeFactories = List.copyOf(storeFactories);
    }

    /**
     * @param rootNode the file's root
     * @return the configuration
     * @throws io.wsgate.core.config.GatewayFileException naming the file, line and key of the first mistake
     */
    public GatewayConfig read(YamlNode rootNode) {
        MapReader root = MapReader.of(source, rootNode, "");
        Optional<MapReader> gateway = root.map("gateway");
        Optional<YamlNode> productsNode = root.get("products");
        YamlNode apisNode = root.require("apis");
        root.finish();

        GatewayConfig.Builder config = GatewayConfig.builder().clock(clock);
        PolicyCatalog.Builder catalog = PolicyCatalog.builder();
        String gatewayName = GatewayConfig.DEFAULT_NAME;
        List<String> proxies = List.of();
        MapReader g = gateway.orElse(MapReader.of(source, new YamlNode.Mapping(1, 1, Map.of()), "gateway"));
        Optional<String> name = g.text("name");
        if (name.isPresent()) {
            gatewayName = name.get();
            String n = gatewayName;
            source.check(g.require("name"), g.path("name"), () -> config.name(n));
        }
        catalog.gateway(gatewayName);
        g.positiveDuration("policyTimeout").ifPresent(config::policyTimeout);
        g.text("subscriptionHeader").ifPresent(h -> source.check(g.require("subscriptionHeader"), g.path("subscriptionHeader"),
                () -> catalog.subscriptionHeader(h)));
        g.text("subscriptionQuery").ifPresent(q -> source.check(g.require("subscriptionQuery"), g.path("subscriptionQuery"),
                () -> catalog.subscriptionQuery(q)));
        Optional<YamlNode> proxiesNode = g.get("trustedProxies");
        if (proxiesNode.isPresent()) {
            List<YamlNode> items = source.items(proxiesNode.get());
            List<String> list = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                String p = g.path("trustedProxies") + (proxiesNode.get() instanceof YamlNode.Sequence ? "[" + i + "]" : "");
                String text = source.text(items.get(i), p);
                source.check(items.get(i), p, () -> ClientAddresses.trusting(text));
                list.add(text);
            }
            proxies = List.copyOf(list);
        }
        // The store first: the limits are built on it, and a changed store makes them afresh (its key is in theirs).
        LimitStore store = LimitStore.inMemory(clock);
        String storeKey = "";
        Optional<MapReader> storeMap = g.map("limitStore");
        if (storeMap.isPresent()) {
            MapReader m = storeMap.get();
            String gw = gatewayName;
            storeKey = PolicyReuse.key("gateway " + gatewayName, "limitStore", List.of(), m.node());
            store = reuse.reuseOrMake(storeKey, LimitStore.class, () -> new LimitStoreReader(source, storeFactories, clock).read(m, gw));
            config.limitStore(store);
        }
        PolicyReader policies = new PolicyReader(source, types, clock, proxies, reuse, store, storeKey);
        Optional<MapReader> limits = g.map("connectionLimits");
        if (limits.isPresent()) {
            MapReader m = limits.get();
            LimitStore s = store;
            config.connectionLimits(reuse.reuseOrMake(PolicyReuse.key("gateway", "connectionLimits", proxies, m.node()) + storeKey,
                    ConnectionLimiter.class, () -> connectionLimits(m, policies, s)));
        }
        PolicyReader.Entries global = policies.list(g, "policies", PolicyScope.GLOBAL, gatewayName);
        catalog.global(global.handshake()).messagePolicies(global.messages());
        g.map("errorResponses").ifPresent(m -> errorResponses(m, config::errorResponse));
        g.map("drain").ifPresent(m -> config.drain(drain(m)));
        g.finish();

        Map<String, ProductDefinition> products = new LinkedHashMap<>();
        if (productsNode.isPresent()) {
            Map<String, String> keyOwners = new LinkedHashMap<>();
            List<YamlNode> items = list(productsNode.get(), "products");
            for (int i = 0; i < items.size(); i++) {
                ProductDefinition p = product(MapReader.of(source, items.get(i), "products[" + i + "]"), policies, products, keyOwners);
                products.put(p.name(), p);
                catalog.product(p);
            }
        }
        PolicyCatalog builtCatalog = source.check(rootNode, "gateway", catalog::build);

        List<YamlNode> apiItems = list(apisNode, "apis");
        Map<String, ApiDefinition> byName = new LinkedHashMap<>();
        Map<String, ApiDefinition> bySuffix = new LinkedHashMap<>();
        for (int i = 0; i < apiItems.size(); i++) {
            MapReader a = MapReader.of(source, apiItems.get(i), "apis[" + i + "]");
            ApiDefinition api = api(a, policies, products, config);
            if (byName.putIfAbsent(api.name(), api) != null) {
                throw source.error(a.require("name"), a.path("name"), "two APIs are named '" + api.name() + "': give every API its own name");
            }
            if (api.servedBy(gatewayName)) {
                ApiDefinition clash = bySuffix.putIfAbsent(api.urlSuffix(), api);
                if (clash != null) {
                    YamlNode at = a.get("urlSuffix").orElse(a.node());
                    throw source.error(at, a.path("urlSuffix"), "APIs '" + clash.name() + "' and '" + api.name()
                            + "' both use URL suffix '" + api.urlSuffix() + "' on gateway '" + gatewayName
                            + "': give one of them another suffix, or serve them on different gateways");
                }
            }
        }
        config.policies(builtCatalog).apis(new ArrayList<>(byName.values()));
        try {
            GatewayConfig built = config.build();
            LOG.info("{}: gateway '{}' with {} API(s) and {} product(s)", source.name(), built.name(), built.apis().size(),
                    products.size());
            return built;
        } catch (ConfigurationException | IllegalArgumentException e) {
            throw source.error(rootNode, "", e.getMessage());
        }
    }

    private List<YamlNode> list(YamlNode node, String path) {
        if (node instanceof YamlNode.Sequence s) {
            return s.items();
        }
        throw source.error(node, path, "expected a list, got " + node.describe());
    }

    private ConnectionLimiter connectionLimits(MapReader m, PolicyReader policies, LimitStore store) {
        ConnectionLimiter.Builder b = ConnectionLimiter.builder().store(store);
        m.integer("perGateway", 0, Integer.MAX_VALUE).ifPresent(n -> b.perGateway(n.intValue()));
        m.integer("perApi", 0, Integer.MAX_VALUE).ifPresent(n -> b.perApi(n.intValue()));
        YamlNode keyNode = m.get("key").orElse(new YamlNode.Scalar(m.node().line(), m.node().column(), "client-ip", YamlNode.Kind.STRING));
        RateKey key = policies.read(keyNode, m.path("key"), LimitFactories::rateKey);
        m.integer("perKey", 0, Integer.MAX_VALUE).ifPresent(n -> b.perKey(n.intValue(), key));
        m.finish();
        return b.build();
    }

    private ProductDefinition product(MapReader p, PolicyReader policies, Map<String, ProductDefinition> known,
                                      Map<String, String> keyOwners) {
        String name = p.requireText("name");
        ProductDefinition.Builder b = ProductDefinition.builder(name);
        source.check(p.require("name"), p.path("name"), () -> b.build());
        if (known.containsKey(name)) {
            throw source.error(p.require("name"), p.path("name"), "product '" + name + "' is declared twice: give every product its own name");
        }
        p.bool("subscriptionRequired").ifPresent(b::subscriptionRequired);
        p.get("subscriptionKeys").ifPresent(n -> {
            List<YamlNode> items = source.items(n);
            for (int i = 0; i < items.size(); i++) {
                String path = p.path("subscriptionKeys") + (n instanceof YamlNode.Sequence ? "[" + i + "]" : "");
                String key = source.text(items.get(i), path);
                if (key.isBlank()) {
                    throw source.error(items.get(i), path, "a subscription key is blank");
                }
                String other = keyOwners.putIfAbsent(key, name);
                if (other != null) {
                    throw source.error(items.get(i), path, "this key already belongs to product '" + other
                            + "': a key selects one product, give each product its own keys");
                }
                b.subscriptionKeys(key);
            }
        });
        PolicyReader.Entries own = policies.list(p, "policies", PolicyScope.PRODUCT, name);
        b.policies(own.handshake()).messagePolicies(own.messages());
        p.finish();
        return source.check(p.node(), p.path(), b::build);
    }

    private ApiDefinition api(MapReader a, PolicyReader policies, Map<String, ProductDefinition> products,
                              GatewayConfig.Builder config) {
        String name = a.requireText("name");
        source.check(a.require("name"), a.path("name"), () -> ApiDefinition.builder(name).backend("ws://name.check/").build());
        ApiDefinition.Builder b = ApiDefinition.builder(name);
        a.text("displayName").ifPresent(b::displayName);
        YamlNode urlNode = a.require("backendUrl");
        List<YamlNode> urlItems = source.items(urlNode);
        if (urlItems.isEmpty()) {
            throw source.error(urlNode, a.path("backendUrl"), "give one backend URL, or a list of them tried in order");
        }
        List<java.net.URI> urls = new ArrayList<>();
        for (int i = 0; i < urlItems.size(); i++) {
            String path = a.path("backendUrl") + (urlNode instanceof YamlNode.Sequence ? "[" + i + "]" : "");
            String text = source.text(urlItems.get(i), path);
            urls.add(source.check(urlItems.get(i), path, () -> ApiDefinition.builder(name).backend(text).build().backendUrl()));
        }
        String url = urls.get(0).toString();
        b.backends(urls);
        a.get("schemes").ifPresent(n -> {
            List<UrlScheme> schemes = new ArrayList<>();
            List<YamlNode> items = source.items(n);
            for (int i = 0; i < items.size(); i++) {
                String path = a.path("schemes") + (n instanceof YamlNode.Sequence ? "[" + i + "]" : "");
                String s = source.text(items.get(i), path);
                schemes.add(source.check(items.get(i), path, () -> {
                    try {
                        return UrlScheme.valueOf(s.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("'" + s + "' is not a URL scheme: use ws or wss");
                    }
                }));
            }
            if (schemes.isEmpty()) {
                throw source.error(n, a.path("schemes"), "give ws, wss or both");
            }
            b.schemes(schemes.get(0), schemes.subList(1, schemes.size()).toArray(UrlScheme[]::new));
        });
        a.text("urlSuffix").ifPresent(s -> {
            source.check(a.require("urlSuffix"), a.path("urlSuffix"), () -> ApiDefinition.builder(name).backend(url).urlSuffix(s).build());
            b.urlSuffix(s);
        });
        a.get("products").ifPresent(n -> {
            List<YamlNode> items = source.items(n);
            for (int i = 0; i < items.size(); i++) {
                String path = a.path("products") + (n instanceof YamlNode.Sequence ? "[" + i + "]" : "");
                String product = source.text(items.get(i), path);
                if (!products.containsKey(product)) {
                    throw source.error(items.get(i), path, "product '" + product + "' is not declared; declared products: "
                            + products.keySet());
                }
                b.products(product);
            }
        });
        b.gateways(a.texts("gateways").toArray(String[]::new));
        a.map("limits").ifPresent(l -> b.limits(limits(l)));
        a.bool("enforceTokenExpiry").ifPresent(b::enforceTokenExpiry);
        PolicyReader.Entries apiPolicies = policies.list(a, "policies", PolicyScope.API, name);
        List<HandshakePolicy> onHandshake = policies.list(a, "onHandshake", PolicyScope.ON_HANDSHAKE, name).handshake();
        List<MessagePolicyEntry> onMessage = policies.list(a, "onMessage", PolicyScope.ON_MESSAGE, name).messages();
        b.policies(apiPolicies.handshake()).onHandshake(onHandshake)
                .messagePolicies(apiPolicies.messages()).onMessage(onMessage);
        a.map("errorResponses").ifPresent(m -> errorResponses(m, (error, override) -> config.errorResponse(name, error, override)));
        a.finish();
        return source.check(a.node(), a.path(), b::build);
    }

    /** Reads a map of error-table overrides: CODE to status, message, headers, body. */
    private void errorResponses(MapReader m, BiConsumer<GatewayError, ErrorOverride> sink) {
        for (YamlNode.Entry entry : m.node().entries().values()) {
            String code = entry.key();
            m.get(code);
            GatewayError error = Arrays.stream(GatewayError.values()).filter(e -> e.code().equals(code)).findFirst()
                    .orElseThrow(() -> source.error(entry, m.path(code), "'" + code + "' is not an error code of the gateway; the codes are "
                            + Arrays.stream(GatewayError.values()).map(GatewayError::code).toList()));
            MapReader o = MapReader.of(source, entry.value(), m.path(code));
            ErrorOverride.Builder b = ErrorOverride.builder();
            o.get("status").ifPresent(n -> {
                long status = source.integer(n, o.path("status"), Integer.MIN_VALUE, Integer.MAX_VALUE);
                source.check(n, o.path("status"), () -> b.status((int) status));
            });
            o.text("message").ifPresent(b::message);
            o.map("headers").ifPresent(h -> {
                for (YamlNode.Entry header : h.node().entries().values()) {
                    String value = h.text(header.key()).orElse("");
                    source.check(header.value(), h.path(header.key()), () -> b.header(header.key(), value));
                }
                h.finish();
            });
            o.get("body").ifPresent(n -> {
                String body = source.text(n, o.path("body"));
                source.check(n, o.path("body"), () -> b.body(body));
            });
            o.finish();
            sink.accept(error, b.build());
        }
        m.finish();
    }

    /** Reads {@code drain: {timeout, window, code, reason, retryAfter}}; what is not given keeps its default. */
    private DrainOptions drain(MapReader m) {
        DrainOptions d = DrainOptions.ofDefaults();
        Optional<java.time.Duration> timeout = m.positiveDuration("timeout");
        if (timeout.isPresent()) {
            d = d.withTimeout(timeout.get());
        }
        Optional<YamlNode> window = m.get("window");
        if (window.isPresent()) {
            String text = source.text(window.get(), m.path("window")).trim();
            java.time.Duration w = text.equals("0") ? java.time.Duration.ZERO : source.duration(window.get(), m.path("window"));
            DrainOptions current = d;
            d = source.check(window.get(), m.path("window"), () -> current.withWindow(w));
        }
        Optional<YamlNode> code = m.get("code");
        String reason = m.text("reason").orElse(d.closeReason());
        YamlNode closeAt = code.or(() -> m.get("reason")).orElse(m.node());
        int closeCode = code.isPresent() ? (int) source.integer(code.get(), m.path("code"), 1000, 4999) : d.closeCode();
        DrainOptions beforeClose = d;
        d = source.check(closeAt, m.path(code.isPresent() ? "code" : "reason"), () -> beforeClose.withClose(closeCode, reason));
        Optional<YamlNode> retryAfter = m.get("retryAfter");
        if (retryAfter.isPresent()) {
            String text = source.text(retryAfter.get(), m.path("retryAfter")).trim();
            java.time.Duration r = text.matches("\\d{1,9}") ? java.time.Duration.ofSeconds(Long.parseLong(text))
                    : source.duration(retryAfter.get(), m.path("retryAfter"));
            DrainOptions current = d;
            d = source.check(retryAfter.get(), m.path("retryAfter"), () -> current.withRetryAfter(r));
        }
        m.finish();
        return d;
    }

    private ApiLimits limits(MapReader l) {
        ApiLimits limits = ApiLimits.ofDefaults();
        Optional<YamlNode> message = l.get("maxMessageSize");
        if (message.isPresent()) {
            long n = source.size(message.get(), l.path("maxMessageSize"));
            limits = limits.withMaxMessageSize(n);
        }
        Optional<YamlNode> frame = l.get("maxFrameSize");
        if (frame.isPresent()) {
            long n = source.size(frame.get(), l.path("maxFrameSize"));
            ApiLimits current = limits;
            limits = source.check(frame.get(), l.path("maxFrameSize"), () -> current.withMaxFrameSize(n));
        }
        Optional<java.time.Duration> idle = l.positiveDuration("idleTimeout");
        if (idle.isPresent()) {
            limits = limits.withIdleTimeout(idle.get());
        }
        Optional<java.time.Duration> handshake = l.positiveDuration("handshakeTimeout");
        if (handshake.isPresent()) {
            limits = limits.withHandshakeTimeout(handshake.get());
        }
        Optional<MapReader> keepAlive = l.map("keepAlive");
        if (keepAlive.isPresent()) {
            MapReader k = keepAlive.get();
            java.time.Duration interval = k.source().positiveDuration(k.require("interval"), k.path("interval"));
            java.time.Duration timeout = k.source().positiveDuration(k.require("timeout"), k.path("timeout"));
            k.finish();
            limits = limits.withKeepAlive(interval, timeout);
        }
        Optional<java.time.Duration> lifetime = l.positiveDuration("maxLifetime");
        if (lifetime.isPresent()) {
            limits = limits.withMaxLifetime(lifetime.get());
        }
        l.finish();
        return limits;
    }
}
