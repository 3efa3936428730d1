package io.wsgate.core.policy.jwt;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.auth0.jwt.interfaces.Verification;
import io.wsgate.api.BackendChange;
import io.wsgate.api.CloseCause;
import io.wsgate.api.CloseStatus;
import io.wsgate.api.HandshakeContext;
import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.api.PairDeadline;
import io.wsgate.core.ClientSubprotocol;
import io.wsgate.core.Diagnosis;
import io.wsgate.core.error.GatewayError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The validate-jwt policy: the handshake must carry a JSON Web Token signed with one of the configured
 * keys (given inline, or by {@code kid} from an issuer's JWKS URL: {@link JwksKeys}), within its validity (with clock skew), from an accepted issuer and for an accepted audience, with
 * the required claims. Anything else is refused with 401 {@code UNAUTHORIZED} and
 * {@code WWW-Authenticate: Bearer error="invalid_token"}, and no detail: the reason is logged at debug,
 * the token never.
 *
 * <pre>{@code
 * HandshakePolicy jwt = JwtValidation.builder()
 *         .key(JwtKey.publicKey(JwtAlgorithm.RS256, issuerKey))
 *         .issuers("https://login.example.com/")
 *         .audiences("chat")
 *         .requireClaim("scope", "chat:write")
 *         .tokenFrom(TokenSource.authorizationHeader(), TokenSource.subprotocol("bearer."))
 *         .build();
 * }</pre>
 *
 * <p>On success the verified claims are left for later policies in {@link #CLAIMS_ATTRIBUTE} (a
 * {@code Map<String, Object>}), the subject in {@link #SUBJECT_ATTRIBUTE} and the expiry in
 * {@link #EXPIRES_AT_ATTRIBUTE} (an {@link Instant}, with the clock skew in {@link #CLOCK_SKEW_ATTRIBUTE}, for
 * live-token enforcement: the gateway closes the pair with 1008 {@code token expired} once {@code exp} plus the skew
 * has passed, unless the API opts out with {@code ApiDefinition.Builder.enforceTokenExpiry(false)}). A token found in the query
 * or a subprotocol is removed from the backend handshake.
 */
public final class JwtValidation implements HandshakePolicy {

    private static final Logger LOG = LoggerFactory.getLogger(JwtValidation.class);

    /** The attribute holding the verified claims, a {@code Map<String, Object>}. */
    public static final String CLAIMS_ATTRIBUTE = "wsgate.jwt.claims";
    /** The attribute holding the verified token's subject ({@code sub}), when it has one. */
    public static final String SUBJECT_ATTRIBUTE = "wsgate.jwt.subject";
    /** The attribute holding the verified token's expiry ({@code exp}) as an {@link Instant}, when it has one. */
    public static final String EXPIRES_AT_ATTRIBUTE = "wsgate.jwt.expiresAt";
    /**
     * The attribute holding this policy's clock skew as a {@link Duration}, set with {@link #EXPIRES_AT_ATTRIBUTE}:
     * live-token enforcement closes the pair once {@code exp} plus this skew has passed.
     */
    public static final String CLOCK_SKEW_ATTRIBUTE = "wsgate.jwt.clockSkew";
    /** The {@code WWW-Authenticate} value of every refusal. */
    public static final String CHALLENGE = "Bearer error=\"invalid_token\"";

    private final List<JwtKey> keys;
    private final List<String> issuers;
    private final List<String> audiences;
    private final Map<String, Set<String>> requiredClaims;
    private final Duration clockSkew;
    private final boolean requireExpiration;
    private final Clock clock;
    private final List<TokenSource> sources;
    private final String name;
    private final List<JwksKeys> jwks;

    private JwtValidation(Builder b) {
        this.keys = List.copyOf(b.keys);
        this.issuers = List.copyOf(b.issuers);
        this.audiences = List.copyOf(b.audiences);
        Map<String, Set<String>> claims = new LinkedHashMap<>();
        b.requiredClaims.forEach((k, v) -> claims.put(k, Set.copyOf(v)));
        this.requiredClaims = Map.copyOf(claims);
        this.clockSkew = b.clockSkew;
        this.requireExpiration = b.requireExpiration;
        this.clock = b.clock;
        this.sources = List.copyOf(b.sources.isEmpty() ? List.of(TokenSource.authorizationHeader()) : b.sources);
        this.name = b.name;
        this.jwks = List.copyOf(b.jwks);
    }

    /** @return a builder; at least one key is required */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return name;
    }

    /** @return the token sources, in the order they are tried */
    public List<TokenSource> sources() {
        return sources;
    }

    /** @return the accepted clock skew */
    public Duration clockSkew() {
        return clockSkew;
    }

    /** @return the key sets read from JWKS URLs, in the order they are asked */
    public List<JwksKeys> jwks() {
        return jwks;
    }

    @Override
    public CompletionStage<HandshakeDecision> evaluate(HandshakeContext context) {
        return decide(context);
    }

    private CompletionStage<HandshakeDecision> decide(HandshakeContext context) {
        TokenSource source = null;
        String token = null;
        for (TokenSource s : sources) {
            Optional<String> t = s.find(context.request());
            if (t.isPresent()) {
                source = s;
                token = t.get();
                break;
            }
        }
        if (token == null) {
            return done(refuse(context, "no token"));
        }
        DecodedJWT decoded;
        try {
            decoded = JWT.decode(token);
        } catch (JWTDecodeException e) {
            return done(refuse(context, "malformed token"));
        }
        String alg = decoded.getAlgorithm();
        String kid = decoded.getKeyId();
        List<JwtKey> candidates = new ArrayList<>();
        for (JwtKey k : keys) {
            if (k.algorithm().name().equals(alg) && (kid == null || k.keyId().isEmpty() || k.keyId().get().equals(kid))) {
                candidates.add(k);
            }
        }
        JwtAlgorithm algorithm = algorithm(alg);
        if (candidates.isEmpty() && !jwks.isEmpty() && kid != null && algorithm != null) {
            TokenSource from = source;
            String t = token;
            return fromJwks(kid, algorithm, 0).thenApply(found -> found.isEmpty()
                    ? refuse(context, "key id not found in the JWKS, or not for algorithm '" + alg + "'")
                    : verify(context, decoded, List.of(found.get()), from, t));
        }
        if (candidates.isEmpty()) {
            return done(refuse(context, "algorithm '" + alg + "' or key id not accepted"));
        }
        return done(verify(context, decoded, candidates, source, token));
    }

    private CompletionStage<Optional<JwtKey>> fromJwks(String kid, JwtAlgorithm algorithm, int index) {
        return jwks.get(index).find(kid, algorithm).thenCompose(found -> found.isPresent() || index + 1 == jwks.size()
                ? CompletableFuture.completedFuture(found) : fromJwks(kid, algorithm, index + 1));
    }

    private static JwtAlgorithm algorithm(String alg) {
        for (JwtAlgorithm a : JwtAlgorithm.values()) {
            if (a.name().equals(alg)) {
                return a;
            }
        }
        return null;
    }

    private static CompletionStage<HandshakeDecision> done(HandshakeDecision decision) {
        return CompletableFuture.completedFuture(decision);
    }

    private HandshakeDecision verify(HandshakeContext context, DecodedJWT decoded, List<JwtKey> candidates,
                                     TokenSource source, String token) {
        DecodedJWT verified = null;
        String failure = "bad signature";
        for (JwtKey k : candidates) {
            try {
                verified = verifier(k).verify(decoded);
                break;
            } catch (SignatureVerificationException e) {
                failure = "bad signature";
            } catch (JWTVerificationException e) {
                failure = e.getClass().getSimpleName() + ": " + e.getMessage();
                break;
            }
        }
        if (verified == null) {
            return refuse(context, failure);
        }
        if (requireExpiration && verified.getExpiresAtAsInstant() == null) {
            return refuse(context, "token has no expiry");
        }
        for (Map.Entry<String, Set<String>> required : requiredClaims.entrySet()) {
            Claim claim = verified.getClaim(required.getKey());
            if (claim.isMissing() || claim.isNull()) {
                return refuse(context, "claim '" + required.getKey() + "' missing");
            }
            if (!required.getValue().isEmpty() && !Claims.matches(claim, required.getValue())) {
                return refuse(context, "claim '" + required.getKey() + "' has a value not accepted");
            }
        }
        HandshakeDecision.Proceed proceed = HandshakeDecision.proceed().withAttribute(CLAIMS_ATTRIBUTE, Claims.of(verified));
        if (verified.getSubject() != null) {
            proceed = proceed.withAttribute(SUBJECT_ATTRIBUTE, verified.getSubject());
        }
        if (verified.getExpiresAtAsInstant() != null) {
            proceed = proceed.withAttribute(EXPIRES_AT_ATTRIBUTE, verified.getExpiresAtAsInstant())
                    .withAttribute(CLOCK_SKEW_ATTRIBUTE, Duration.ofSeconds(clockSkew.toSeconds()))
                    // the gateway closes the pair with 1008 once the token has expired (if the API enforces it)
                    .withAttribute(PairDeadline.ATTRIBUTE, new PairDeadline(
                            verified.getExpiresAtAsInstant().plusSeconds(clockSkew.toSeconds()), CloseStatus.POLICY_VIOLATION,
                            "token expired", CloseCause.TOKEN_EXPIRED));
        }
        for (BackendChange change : source.removal(context.backend(), token)) {
            proceed = proceed.with(change);
        }
        if (source instanceof TokenSource.Subprotocol sub) {
            // a browser's marker: the gateway answers with it when the backend chooses no subprotocol
            Optional<String> marker = sub.offeredMarker(context.request());
            if (marker.isPresent()) {
                proceed = proceed.withAttribute(ClientSubprotocol.ATTRIBUTE, marker.get());
            }
        }
        return proceed;
    }

    private JWTVerifier verifier(JwtKey key) {
        Verification v = JWT.require(key.verifier()).acceptLeeway(clockSkew.toSeconds());
        if (!issuers.isEmpty()) {
            v = v.withIssuer(issuers.toArray(String[]::new));
        }
        if (!audiences.isEmpty()) {
            v = v.withAnyOfAudience(audiences.toArray(String[]::new));
        }
        return ((JWTVerifier.BaseVerification) v).build(clock);
    }

    private HandshakeDecision refuse(HandshakeContext context, String why) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("request {}: {} refused the token: {}", context.requestId(), name, why);
        }
        // the client is never told why; a diagnosis (a test console's) is
        Diagnosis.explain(context, why);
        return GatewayError.UNAUTHORIZED.reject().withHeader("WWW-Authenticate", CHALLENGE);
    }

    @Override
    public String toString() {
        return "JwtValidation[keys=" + keys + ", jwks=" + jwks + ", issuers=" + issuers + ", audiences=" + audiences
                + ", requiredClaims=" + requiredClaims.keySet() + ", clockSkew=" + clockSkew + ", sources=" + sources + "]";
    }

    /** Builds a {@link JwtValidation}; not thread-safe. */
    public static final class Builder {
        private final List<JwtKey> keys = new ArrayList<>();
        private final Set<String> issuers = new LinkedHashSet<>();
        private final Set<String> audiences = new LinkedHashSet<>();
        private final Map<String, Set<String>> requiredClaims = new LinkedHashMap<>();
        private Duration clockSkew = Duration.ofSeconds(30);
        private boolean requireExpiration = true;
        private Clock clock = Clock.systemUTC();
        private final List<TokenSource> sources = new ArrayList<>();
        private String name = "validate-jwt";
        private final List<JwksKeys> jwks = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds key sets read from JWKS URLs: a token whose {@code kid} matches no inline key is verified with the
         * key of that id from these (fetched off the calling thread, cached). A token without {@code kid} is only
         * verified with inline keys.
         */
        public Builder jwks(JwksKeys... keySets) {
            for (JwksKeys k : keySets) {
                this.jwks.add(Objects.requireNonNull(k, "jwks"));
            }
            return this;
        }

        /** Adds keys a token may be signed with. */
        public Builder key(JwtKey... keys) {
            for (JwtKey k : keys) {
                this.keys.add(Objects.requireNonNull(k, "key"));
            }
            return this;
        }

        /** Adds accepted issuers ({@code iss}); none: any issuer. */
        public Builder issuers(String... issuers) {
            for (String i : issuers) {
                this.issuers.add(requireText(i, "issuer"));
            }
            return this;
        }

        /** Adds accepted audiences ({@code aud}: one of them must be present); none: any audience. */
        public Builder audiences(String... audiences) {
            for (String a : audiences) {
                this.audiences.add(requireText(a, "audience"));
            }
            return this;
        }

        /**
         * Requires a claim.
         *
         * @param claim  the claim's name
         * @param values accepted values (for an array claim, one element must be one of them); none: any value
         */
        public Builder requireClaim(String claim, String... values) {
            Set<String> set = requiredClaims.computeIfAbsent(requireText(claim, "claim name"), k -> new LinkedHashSet<>());
            for (String v : values) {
                set.add(Objects.requireNonNull(v, "claim value"));
            }
            return this;
        }

        /** Sets the accepted clock skew for {@code exp}, {@code nbf} and {@code iat} (default 30 s, whole seconds). */
        public Builder clockSkew(Duration skew) {
            Objects.requireNonNull(skew, "clockSkew");
            if (skew.isNegative()) {
                throw new IllegalArgumentException("clockSkew must not be negative, got " + skew);
            }
            this.clockSkew = skew;
            return this;
        }

        /** Sets whether a token without {@code exp} is refused (default true). */
        public Builder requireExpiration(boolean require) {
            this.requireExpiration = require;
            return this;
        }

        /** Sets the clock validity is checked against (default: the system's); tests drive their own. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Adds places to look for the token, tried in order (default: the {@code Authorization: Bearer} header). */
        public Builder tokenFrom(TokenSource... sources) {
            for (TokenSource s : sources) {
                this.sources.add(Objects.requireNonNull(s, "token source"));
            }
            return this;
        }

        /** Sets the policy's name in logs and explained chains (default {@code validate-jwt}). */
        public Builder name(String name) {
            this.name = requireText(name, "name");
            return this;
        }

        private static String requireText(String value, String what) {
            Objects.requireNonNull(value, what);
            if (value.isBlank()) {
                throw new IllegalArgumentException(what + " is blank");
            }
            return value;
        }

        /**
         * @return the policy
         * @throws IllegalArgumentException when no key and no key set was given
         */
        public JwtValidation build() {
            if (keys.isEmpty() && jwks.isEmpty()) {
                throw new IllegalArgumentException("validate-jwt needs at least one key: call key(JwtKey.hmac(...)),"
                        + " key(JwtKey.publicKey(...)) or jwks(JwksKeys.builder(url).build())");
            }
            return new JwtValidation(this);
        }
    }
}
