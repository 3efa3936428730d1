package io.wsgate.core.policy.jwt;

import io.wsgate.api.HandshakePolicy;
import io.wsgate.core.config.PolicyFactory;
import io.wsgate.core.config.PolicyOptions;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The factory of {@code validate-jwt}, as a gateway file names it: keys, JWKS sets, issuers, audiences, required
 * claims, clock skew and where the token is read from. Called on the thread that loads the file.
 */
public final class JwtFactories {

    private JwtFactories() {
    }

    /** @return the factories of this family, one per policy type */
    public static List<PolicyFactory> all() {
        return List.of(PolicyFactory.of("validate-jwt", JwtFactories::validateJwt));
    }

    private static HandshakePolicy validateJwt(PolicyOptions o) {
        JwtValidation.Builder b = JwtValidation.builder().clock(o.clock());
        for (PolicyOptions k : o.items("keys")) {
            b.key(key(k));
        }
        for (PolicyOptions j : o.items("jwks")) {
            b.jwks(jwks(j, o));
        }
        for (String key : List.of("issuers", "audiences")) {
            List<String> values = o.texts(key);
            if (!values.isEmpty()) {
                String[] array = values.toArray(String[]::new);
                o.require(key).check(() -> key.equals("issuers") ? b.issuers(array) : b.audiences(array));
            }
        }
        o.get("requiredClaims").ifPresent(claims -> {
            for (String claim : claims.keys()) {
                String[] values = claims.texts(claim).toArray(String[]::new);
                claims.require(claim).check(() -> b.requireClaim(claim, values));
            }
        });
        o.get("clockSkew").ifPresent(n -> {
            var skew = o.duration("clockSkew").orElseThrow();
            n.check(() -> b.clockSkew(skew));
        });
        o.bool("requireExpiration").ifPresent(b::requireExpiration);
        for (PolicyOptions t : o.items("tokenFrom")) {
            b.tokenFrom(tokenSource(t));
        }
        o.text("name").ifPresent(name -> o.require("name").check(() -> b.name(name)));
        return o.check(b::build);
    }

    private static JwtKey key(PolicyOptions k) {
        String algName = k.requireText("algorithm");
        JwtAlgorithm alg = k.require("algorithm").check(() -> JwtAlgorithm.valueOf(algName.toUpperCase(Locale.ROOT)));
        List<String> given = new ArrayList<>();
        for (String s : List.of("secret", "secretBase64", "secretEnv", "publicKey")) {
            if (k.get(s).isPresent()) {
                given.add(s);
            }
        }
        if (given.size() != 1) {
            throw k.error("give exactly one of secret, secretBase64, secretEnv (HMAC) or publicKey"
                    + " (PEM, RSA or EC)" + (given.isEmpty() ? "" : "; got " + given));
        }
        String which = given.get(0);
        PolicyOptions at = k.require(which);
        String text = k.requireText(which);
        JwtKey key = switch (which) {
            case "secret" -> at.check(() -> JwtKey.hmac(alg, text));
            case "secretBase64" -> at.check(() -> JwtKey.hmac(alg, Base64.getDecoder().decode(text.trim())));
            case "secretEnv" -> {
                String value = System.getenv(text);
                if (value == null || value.isEmpty()) {
                    throw at.error("environment variable '" + text + "' is not set");
                }
                yield at.check(() -> JwtKey.hmac(alg, value));
            }
            default -> at.check(() -> JwtKey.publicKey(alg, pem(alg, text)));
        };
        Optional<String> kid = k.text("kid");
        if (kid.isPresent()) {
            JwtKey plain = key;
            key = k.require("kid").check(() -> plain.withKeyId(kid.get()));
        }
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

    private static JwksKeys jwks(PolicyOptions j, PolicyOptions policy) {
        if (j.scalar().isPresent()) {
            String url = j.text();
            return j.check(() -> JwksKeys.builder(uri(url)).clock(policy.clock()).build());
        }
        String url = j.requireText("url");
        JwksKeys.Builder b = j.require("url").check(() -> JwksKeys.builder(uri(url)));
        b.clock(policy.clock());
        j.positiveDuration("cacheTtl").ifPresent(b::cacheTtl);
        j.duration("minRefetchInterval").ifPresent(b::minRefetchInterval);
        j.positiveDuration("fetchTimeout").ifPresent(b::fetchTimeout);
        j.get("algorithms").ifPresent(n -> {
            List<JwtAlgorithm> algs = new ArrayList<>();
            for (String a : j.texts("algorithms")) {
                algs.add(n.check(() -> JwtAlgorithm.valueOf(a.toUpperCase(Locale.ROOT))));
            }
            n.check(() -> b.algorithms(algs.get(0), algs.subList(1, algs.size()).toArray(JwtAlgorithm[]::new)));
        });
        return b.build();
    }

    private static URI uri(String text) {
        try {
            return new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URL: " + e.getReason());
        }
    }

    private static TokenSource tokenSource(PolicyOptions t) {
        if (t.scalar().isPresent()) {
            String s = t.text();
            if (s.equals("authorization-header")) {
                return TokenSource.authorizationHeader();
            }
            throw t.error("a token source is 'authorization-header', {query: NAME}, {cookie: NAME}"
                    + ", {subprotocol: PREFIX} or {subprotocol: PREFIX, marker: NAME}; got '" + s + "'");
        }
        if (t.keys().equals(Set.of("subprotocol", "marker"))) {
            String prefix = t.requireText("subprotocol");
            String marker = t.requireText("marker");
            return t.require("marker").check(() -> TokenSource.subprotocol(prefix, marker));
        }
        if (t.keys().size() != 1) {
            throw t.error("a token source is one of {query: NAME}, {cookie: NAME}, {subprotocol: PREFIX}"
                    + " or {subprotocol: PREFIX, marker: NAME}");
        }
        String kind = t.keys().iterator().next();
        Function<String, TokenSource> make = switch (kind) {
            case "query" -> TokenSource::queryParameter;
            case "cookie" -> TokenSource::cookie;
            case "subprotocol" -> TokenSource::subprotocol;
            default -> throw t.require(kind).error(
                    "unknown token source '" + kind + "'; use authorization-header, query, cookie or subprotocol");
        };
        String value = t.requireText(kind);
        return t.require(kind).check(() -> make.apply(value));
    }
}
