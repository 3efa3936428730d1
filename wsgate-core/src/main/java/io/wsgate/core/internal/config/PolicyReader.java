package io.wsgate.core.internal.config;

import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.core.config.GatewayFileException;
import io.wsgate.core.config.PolicyFactory;
import io.wsgate.core.policy.backend.BackendPolicies;
import io.wsgate.core.policy.network.CheckHeader;
import io.wsgate.core.policy.network.CheckOrigin;
import io.wsgate.core.policy.network.ClientAddresses;
import io.wsgate.core.policy.custom.CustomAuthorizer;
import io.wsgate.core.policy.network.IpFilter;
import io.wsgate.core.policy.jwt.JwksKeys;
import io.wsgate.core.policy.jwt.JwtAlgorithm;
import io.wsgate.core.policy.jwt.JwtKey;
import io.wsgate.core.policy.jwt.JwtValidation;
import io.wsgate.core.policy.Policies;
import io.wsgate.core.policy.PolicyScope;
import io.wsgate.core.policy.limit.RateKey;
import io.wsgate.core.policy.limit.RateLimitByKey;
import io.wsgate.core.policy.custom.ReturnResponse;
import io.wsgate.core.policy.jwt.TokenSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Reads a scope's list of policies: the {@code base} marker, every built-in policy with its options, the kinds
 * that cannot apply to a handshake (refused on an API, kept as skipped stand-ins elsewhere), and custom
 * policies made by a {@link PolicyFactory} of their type.
 */
public final class PolicyReader {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyReader.class);

    /** The built-in policy types a file may name. */
    public static final Set<String> BUILT_IN = Set.of("validate-jwt", "ip-filter", "check-origin", "check-header",
            "rate-limit-by-key", "quota-by-key", "set-header", "remove-header", "set-query-parameter",
            "remove-query-parameter", "rewrite-path", "set-backend", "custom-authorizer", "return-response");

    private final Source source;
    private final Map<String, PolicyFactory> factories;
    private final Clock clock;
    private final List<String> trustedProxies;

    /**
     * @param source         the file
     * @param factories      custom policy factories by type
     * @param clock          the clock of time-based policies
     * @param trustedProxies the gateway's trusted proxies, for ip-filter and client-ip keys
     */
    public PolicyReader(Source source, Map<String, PolicyFactory> factories, Clock clock, List<String> trustedProxies) {
        this.source = source;
        this.factories = Map.copyOf(factories);
        this.clock = clock;
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    /**
     * @param owner the map holding the list
     * @param key   the list's key
     * @param scope the scope it belongs to
     * @return the policies in order, with at most one {@link Policies#base()}
     */
    public List<HandshakePolicy> list(MapReader owner, String key, PolicyScope scope) {
        Optional<YamlNode> node = owner.get(key);
        if (node.isEmpty()) {
            return List.of();
        }
        String path = owner.path(key);
        if (!(node.get() instanceof YamlNode.Sequence seq)) {
            throw source.error(node.get(), path, "expected a list of policies, got " + node.get().describe());
        }
        List<HandshakePolicy> out = new ArrayList<>();
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
                out.add(Policies.base());
                continue;
            }
            String optionsPath = itemPath + "." + type;
            out.add(policy(type, typeAt, options, optionsPath, scope));
        }
        return out;
    }

    private HandshakePolicy policy(String type, YamlNode typeAt, YamlNode options, String path, PolicyScope scope) {
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
        if (BUILT_IN.contains(type)) {
            MapReader o = MapReader.of(source, options, path);
            HandshakePolicy p;
            try {
                p = builtIn(type, o);
            } catch (GatewayFileException e) {
                throw o.misspelling().orElse(e);
            }
            o.finish();
            return p;
        }
        PolicyFactory factory = factories.get(type);
        if (factory == null) {
            throw source.error(typeAt, path, "unknown policy type '" + type + "'; built-in: " + new TreeSet<>(BUILT_IN)
                    + (factories.isEmpty() ? "; no custom policy factory was found (see PolicyFactory)"
                    : "; custom: " + new TreeSet<>(factories.keySet())));
        }
        HandshakePolicy p = custom(factory, options, path);
        if (scope.isApiLevel() && !Policies.appliesToHandshake(p)) {
            throw source.error(typeAt, path, "policy '" + type + "' declares it cannot apply to a WebSocket handshake,"
                    + " so it may not stand in an API's " + scope.label() + " list: remove it");
        }
        return p;
    }

    @SuppressWarnings("unchecked")
    private HandshakePolicy custom(PolicyFactory factory, YamlNode options, String path) {
        Map<String, Object> map;
        if (options instanceof YamlNode.Scalar s && s.kind() == YamlNode.Kind.NULL) {
            map = Map.of();
        } else if (options instanceof YamlNode.Mapping) {
            map = (Map<String, Object>) source.plain(options, path);
        } else {
            throw source.error(options, path, "expected a map of options, got " + options.describe());
        }
        Map<String, Object> given = map;
        HandshakePolicy p = source.check(options, path, () -> factory.create(given));
        if (p == null) {
            throw source.error(options, path, "the factory of '" + factory.type() + "' made no policy");
        }
        return p;
    }

    private HandshakePolicy builtIn(String type, MapReader o) {
        return switch (type) {
            case "validate-jwt" -> jwt(o);
            case "ip-filter" -> ipFilter(o);
            case "check-origin" -> checkOrigin(o);
            case "check-header" -> checkHeader(o);
            case "rate-limit-by-key", "quota-by-key" -> rateLimit(o, type.equals("quota-by-key"));
            case "set-header" -> {
                String name = o.requireText("name");
                String value = o.requireText("value");
                yield source.check(o.node(), o.path(), () -> BackendPolicies.setHeader(name, value));
            }
            case "remove-header" -> {
                String name = o.requireText("name");
                yield source.check(o.require("name"), o.path("name"), () -> BackendPolicies.removeHeader(name));
            }
            case "set-query-parameter" -> {
                String name = o.requireText("name");
                String value = o.requireText("value");
                yield source.check(o.node(), o.path(), () -> BackendPolicies.setQueryParameter(name, value));
            }
            case "remove-query-parameter" -> {
                String name = o.requireText("name");
                yield source.check(o.require("name"), o.path("name"), () -> BackendPolicies.removeQueryParameter(name));
            }
            case "rewrite-path" -> {
                String path = o.requireText("path");
                yield source.check(o.require("path"), o.path("path"), () -> BackendPolicies.rewritePath(path));
            }
            case "set-backend" -> setBackend(o);
            case "custom-authorizer" -> customAuthorizer(o);
            case "return-response" -> returnResponse(o);
            default -> throw new IllegalStateException(type);
        };
    }

    private HandshakePolicy jwt(MapReader o) {
        JwtValidation.Builder b = JwtValidation.builder().clock(clock);
        o.get("keys").ifPresent(keys -> {
            List<YamlNode> items = source.items(keys);
            for (int i = 0; i < items.size(); i++) {
                b.key(jwtKey(MapReader.of(source, items.get(i), o.path("keys") + "[" + i + "]")));
            }
        });
        o.get("jwks").ifPresent(jwks -> {
            List<YamlNode> items = source.items(jwks);
            for (int i = 0; i < items.size(); i++) {
                b.jwks(jwks(items.get(i), jwks instanceof YamlNode.Sequence ? o.path("jwks") + "[" + i + "]" : o.path("jwks")));
            }
        });
        for (String key : List.of("issuers", "audiences")) {
            List<String> values = o.texts(key);
            if (!values.isEmpty()) {
                String[] array = values.toArray(String[]::new);
                source.check(o.require(key), o.path(key), () -> key.equals("issuers") ? b.issuers(array) : b.audiences(array));
            }
        }
        o.map("requiredClaims").ifPresent(claims -> {
            for (YamlNode.Entry e : claims.node().entries().values()) {
                String[] values = claims.texts(e.key()).toArray(String[]::new);
                source.check(e.value(), claims.path(e.key()), () -> b.requireClaim(e.key(), values));
            }
        });
        o.get("clockSkew").ifPresent(n -> {
            var skew = source.duration(n, o.path("clockSkew"));
            source.check(n, o.path("clockSkew"), () -> b.clockSkew(skew));
        });
        o.bool("requireExpiration").ifPresent(b::requireExpiration);
        o.get("tokenFrom").ifPresent(n -> {
            List<YamlNode> items = source.items(n);
            for (int i = 0; i < items.size(); i++) {
                String p = n instanceof YamlNode.Sequence ? o.path("tokenFrom") + "[" + i + "]" : o.path("tokenFrom");
                b.tokenFrom(tokenSource(items.get(i), p));
            }
        });
        o.text("name").ifPresent(name -> source.check(o.require("name"), o.path("name"), () -> b.name(name)));
        return source.check(o.node(), o.path(), b::build);
    }

    private JwtKey jwtKey(MapReader k) {
        String algName = k.requireText("algorithm");
        JwtAlgorithm alg = source.check(k.require("algorithm"), k.path("algorithm"),
                () -> JwtAlgorithm.valueOf(algName.toUpperCase(Locale.ROOT)));
        List<String> given = new ArrayList<>();
        for (String s : List.of("secret", "secretBase64", "secretEnv", "publicKey")) {
            if (k.get(s).isPresent()) {
                given.add(s);
            }
        }
        if (given.size() != 1) {
            throw source.error(k.node(), k.path(), "give exactly one of secret, secretBase64, secretEnv (HMAC) or publicKey"
                    + " (PEM, RSA or EC)" + (given.isEmpty() ? "" : "; got " + given));
        }
        String which = given.get(0);
        YamlNode at = k.require(which);
        String p = k.path(which);
        JwtKey key = switch (which) {
            case "secret" -> source.check(at, p, () -> JwtKey.hmac(alg, k.requireText("secret")));
            case "secretBase64" -> source.check(at, p, () -> JwtKey.hmac(alg, Base64.getDecoder().decode(k.requireText(which).trim())));
            case "secretEnv" -> {
                String env = k.requireText(which);
                String value = System.getenv(env);
                if (value == null || value.isEmpty()) {
                    throw source.error(at, p, "environment variable '" + env + "' is not set");
                }
                yield source.check(at, p, () -> JwtKey.hmac(alg, value));
            }
            default -> source.check(at, p, () -> JwtKey.publicKey(alg, pem(alg, k.requireText(which))));
        };
        Optional<String> kid = k.text("kid");
        if (kid.isPresent()) {
            JwtKey plain = key;
            key = source.check(k.require("kid"), k.path("kid"), () -> plain.withKeyId(kid.get()));
        }
        k.finish();
        return key;
    }

    private static PublicKey pem(JwtAlgorithm alg, String pem) {
        if (alg.isHmac()) {
            throw new IllegalArgumentException(alg + " is an HMAC algorithm: give a secret, not a public key");
        }
        String body = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(body);
            return KeyFactory.getInstance(alg.isEc() ? "EC" : "RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not a PEM public key for " + alg
                    + ": give '-----BEGIN PUBLIC KEY-----' and the base64 of an X.509 SubjectPublicKeyInfo");
        }
    }

    private JwksKeys jwks(YamlNode node, String path) {
        if (node instanceof YamlNode.Scalar) {
            String url = source.text(node, path);
            return source.check(node, path, () -> JwksKeys.builder(uri(url)).clock(clock).build());
        }
        MapReader j = MapReader.of(source, node, path);
        String url = j.requireText("url");
        JwksKeys.Builder b = source.check(j.require("url"), j.path("url"), () -> JwksKeys.builder(uri(url)));
        b.clock(clock);
        j.positiveDuration("cacheTtl").ifPresent(b::cacheTtl);
        j.get("minRefetchInterval").ifPresent(n -> b.minRefetchInterval(source.duration(n, j.path("minRefetchInterval"))));
        j.positiveDuration("fetchTimeout").ifPresent(b::fetchTimeout);
        j.get("algorithms").ifPresent(n -> {
            List<JwtAlgorithm> algs = new ArrayList<>();
            for (String a : source.texts(n, j.path("algorithms"))) {
                algs.add(source.check(n, j.path("algorithms"), () -> JwtAlgorithm.valueOf(a.toUpperCase(Locale.ROOT))));
            }
            source.check(n, j.path("algorithms"), () -> b.algorithms(algs.get(0), algs.subList(1, algs.size()).toArray(JwtAlgorithm[]::new)));
        });
        j.finish();
        return b.build();
    }

    private static URI uri(String text) {
        try {
            return new URI(text.trim());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URL: " + e.getReason());
        }
    }

    private TokenSource tokenSource(YamlNode node, String path) {
        if (node instanceof YamlNode.Scalar) {
            String s = source.text(node, path);
            if (s.equals("authorization-header")) {
                return TokenSource.authorizationHeader();
            }
            throw source.error(node, path, "a token source is 'authorization-header', {query: NAME}, {cookie: NAME}"
                    + " or {subprotocol: PREFIX}; got '" + s + "'");
        }
        MapReader m = MapReader.of(source, node, path);
        if (m.node().entries().size() != 1) {
            throw source.error(node, path, "a token source is one of {query: NAME}, {cookie: NAME}, {subprotocol: PREFIX}");
        }
        String kind = m.node().entries().keySet().iterator().next();
        Function<String, TokenSource> make = switch (kind) {
            case "query" -> TokenSource::queryParameter;
            case "cookie" -> TokenSource::cookie;
            case "subprotocol" -> TokenSource::subprotocol;
            default -> throw source.error(m.node().entries().get(kind), m.path(kind),
                    "unknown token source '" + kind + "'; use authorization-header, query, cookie or subprotocol");
        };
        String value = m.requireText(kind);
        return source.check(m.require(kind), m.path(kind), () -> make.apply(value));
    }

    private ClientAddresses addresses(List<String> proxies, YamlNode at, String path) {
        return proxies.isEmpty() ? ClientAddresses.direct()
                : source.check(at, path, () -> ClientAddresses.trusting(proxies.toArray(String[]::new)));
    }

    private HandshakePolicy ipFilter(MapReader o) {
        IpFilter.Builder b = IpFilter.builder();
        cidrs(o, "allow", b::allow);
        cidrs(o, "forbid", b::forbid);
        Optional<YamlNode> own = o.get("trustedProxies");
        List<String> proxies = own.map(n -> source.texts(n, o.path("trustedProxies"))).orElse(trustedProxies);
        b.clientAddresses(addresses(proxies, own.orElse(o.node()), own.isPresent() ? o.path("trustedProxies") : o.path()));
        return source.check(o.node(), o.path(), b::build);
    }

    private void cidrs(MapReader o, String key, java.util.function.Consumer<String> add) {
        o.get(key).ifPresent(n -> {
            List<YamlNode> items = source.items(n);
            for (int i = 0; i < items.size(); i++) {
                String p = n instanceof YamlNode.Sequence ? o.path(key) + "[" + i + "]" : o.path(key);
                String text = source.text(items.get(i), p);
                source.check(items.get(i), p, () -> {
                    add.accept(text);
                    return text;
                });
            }
        });
    }

    private HandshakePolicy checkOrigin(MapReader o) {
        CheckOrigin.Builder b = CheckOrigin.builder();
        o.get("allow").ifPresent(n -> {
            List<YamlNode> items = source.items(n);
            for (int i = 0; i < items.size(); i++) {
                String p = n instanceof YamlNode.Sequence ? o.path("allow") + "[" + i + "]" : o.path("allow");
                String origin = source.text(items.get(i), p);
                source.check(items.get(i), p, () -> b.allow(origin));
            }
        });
        o.bool("allowMissing").ifPresent(b::allowMissing);
        return source.check(o.node(), o.path(), b::build);
    }

    private HandshakePolicy checkHeader(MapReader o) {
        String name = o.requireText("name");
        CheckHeader.Builder b = source.check(o.require("name"), o.path("name"), () -> CheckHeader.builder(name));
        b.values(o.texts("values").toArray(String[]::new));
        o.bool("ignoreCase").ifPresent(b::ignoreCase);
        o.integer("status", 100, 599).ifPresent(s -> source.check(o.require("status"), o.path("status"), () -> b.status(s.intValue())));
        return b.build();
    }

    private HandshakePolicy rateLimit(MapReader o, boolean quota) {
        long permits = source.integer(o.require("permits"), o.path("permits"), 1, Long.MAX_VALUE);
        var period = source.positiveDuration(o.require("period"), o.path("period"));
        RateLimitByKey.Builder b = quota ? RateLimitByKey.quota(permits, period) : RateLimitByKey.rate(permits, period);
        b.clock(clock);
        o.get("key").ifPresent(n -> b.key(rateKey(n, o.path("key"))));
        o.integer("maxKeys", 1, Integer.MAX_VALUE).ifPresent(m -> b.maxKeys(m.intValue()));
        return b.build();
    }

    /**
     * @param node {@code client-ip}, {@code subscription}, {@code {claim: NAME}} or {@code {header: NAME}}
     * @param path its path
     * @return the key
     */
    public RateKey rateKey(YamlNode node, String path) {
        if (node instanceof YamlNode.Scalar) {
            String s = source.text(node, path);
            return switch (s) {
                case "client-ip" -> RateKey.clientIp(addresses(trustedProxies, node, path));
                case "subscription" -> RateKey.subscription();
                default -> throw source.error(node, path, "a key is client-ip, subscription, {claim: NAME} or {header: NAME}; got '" + s + "'");
            };
        }
        MapReader m = MapReader.of(source, node, path);
        if (m.node().entries().size() != 1) {
            throw source.error(node, path, "a key is client-ip, subscription, {claim: NAME} or {header: NAME}");
        }
        String kind = m.node().entries().keySet().iterator().next();
        return switch (kind) {
            case "claim" -> RateKey.claim(m.requireText("claim"));
            case "header" -> RateKey.header(m.requireText("header"));
            default -> throw source.error(m.node().entries().get(kind), m.path(kind),
                    "unknown key kind '" + kind + "'; use client-ip, subscription, claim or header");
        };
    }

    private HandshakePolicy setBackend(MapReader o) {
        String choose = o.requireText("choose");
        MapReader backends = MapReader.of(source, o.require("backends"), o.path("backends"));
        Map<String, URI> map = new LinkedHashMap<>();
        for (YamlNode.Entry e : backends.node().entries().values()) {
            String url = backends.requireText(e.key());
            URI uri = source.check(e.value(), backends.path(e.key()), () -> {
                URI u = uri(url);
                new io.wsgate.api.BackendChange.SetBackend(u);
                return u;
            });
            map.put(e.key(), uri);
        }
        if (map.isEmpty()) {
            throw source.error(backends.node(), backends.path(), "give at least one VALUE: ws://host:port backend");
        }
        return source.check(o.require("choose"), o.path("choose"), () -> BackendPolicies.setBackend(choose, map));
    }

    private HandshakePolicy customAuthorizer(MapReader o) {
        String type = o.requireText("type");
        PolicyFactory factory = factories.get(type);
        if (factory == null) {
            throw source.error(o.require("type"), o.path("type"), "no policy factory of type '" + type + "' was found"
                    + (factories.isEmpty() ? " (see PolicyFactory)" : "; custom: " + new TreeSet<>(factories.keySet())));
        }
        YamlNode options = o.get("options").orElse(new YamlNode.Mapping(o.node().line(), o.node().column(), Map.of()));
        HandshakePolicy delegate = custom(factory, options, o.path("options"));
        CustomAuthorizer.Builder b = CustomAuthorizer.builder(type, delegate::evaluate);
        o.positiveDuration("timeout").ifPresent(b::timeout);
        return b.build();
    }

    private HandshakePolicy returnResponse(MapReader o) {
        int status = (int) source.integer(o.require("status"), o.path("status"), 400, 599);
        String code = o.requireText("code");
        String message = o.text("message").orElse("");
        HandshakeDecision.Reject r = source.check(o.node(), o.path(), () -> HandshakeDecision.reject(status, code, message));
        Optional<MapReader> headers = o.map("headers");
        if (headers.isPresent()) {
            for (YamlNode.Entry e : headers.get().node().entries().values()) {
                String value = headers.get().requireText(e.key());
                HandshakeDecision.Reject current = r;
                r = source.check(e.value(), headers.get().path(e.key()), () -> current.withHeader(e.key(), value));
            }
        }
        Optional<String> body = o.text("body");
        if (body.isPresent()) {
            r = r.withBody(body.get());
        }
        return ReturnResponse.of(r);
    }
}
