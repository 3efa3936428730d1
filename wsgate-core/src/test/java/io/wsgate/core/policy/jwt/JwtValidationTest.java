package io.wsgate.core.policy.jwt;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.ClientSubprotocol;
import io.wsgate.core.error.GatewayError;
import io.wsgate.core.internal.policy.ChainResult;
import io.wsgate.core.policy.TestChains;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwtValidationTest {

    private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER_SECRET = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8);

    private static KeyPair rsa;
    private static KeyPair ec256;
    private static KeyPair ec384;

    private final TestChains tester = TestChains.create();

    @BeforeAll
    static void generateKeys() throws Exception {
        KeyPairGenerator r = KeyPairGenerator.getInstance("RSA");
        r.initialize(2048);
        rsa = r.generateKeyPair();
        KeyPairGenerator e = KeyPairGenerator.getInstance("EC");
        e.initialize(new ECGenParameterSpec("secp256r1"));
        ec256 = e.generateKeyPair();
        e.initialize(new ECGenParameterSpec("secp384r1"));
        ec384 = e.generateKeyPair();
    }

    private static String token(Algorithm alg, UnaryOperator<JWTCreator.Builder> claims) {
        JWTCreator.Builder b = JWT.create().withIssuer("https://issuer.test/").withAudience("chat").withSubject("alice")
                .withIssuedAt(NOW.minusSeconds(60)).withExpiresAt(NOW.plusSeconds(600));
        return claims.apply(b).sign(alg);
    }

    private static String token(Algorithm alg) {
        return token(alg, b -> b);
    }

    private static JwtValidation.Builder hs256() {
        return JwtValidation.builder().key(JwtKey.hmac(JwtAlgorithm.HS256, SECRET)).clock(CLOCK)
                .issuers("https://issuer.test/").audiences("chat");
    }

    private static HandshakeRequest bearer(String token) {
        return HandshakeRequest.builder().header("Authorization", "Bearer " + token).build();
    }

    private void assertRefused(JwtValidation policy, HandshakeRequest request) {
        ChainResult.Rejected r = tester.rejected(tester.run(policy, request));
        assertThat(r.rejection().status()).isEqualTo(401);
        assertThat(r.rejection().code()).isEqualTo("UNAUTHORIZED");
        assertThat(r.rejection().headers().first("WWW-Authenticate")).contains("Bearer error=\"invalid_token\"");
        assertThat(r.rejection().body()).isEmpty();
        assertThat(r.rejection().message()).isEqualTo(GatewayError.UNAUTHORIZED.message());
    }

    @Test
    void acceptsAValidHs256TokenAndLeavesItsClaims() {
        ChainResult.Admitted ok = tester.admitted(tester.run(hs256().build(), bearer(token(Algorithm.HMAC256(SECRET),
                b -> b.withClaim("tenant", "t1")))));
        assertThat(ok.attributes()).containsEntry(JwtValidation.SUBJECT_ATTRIBUTE, "alice")
                .containsEntry(JwtValidation.EXPIRES_AT_ATTRIBUTE, NOW.plusSeconds(600));
        @SuppressWarnings("unchecked")
        Map<String, Object> claims = (Map<String, Object>) ok.attributes().get(JwtValidation.CLAIMS_ATTRIBUTE);
        assertThat(claims).containsEntry("tenant", "t1").containsEntry("sub", "alice");
        assertThat(ok.backend().headers().first("Authorization")).isPresent();
    }

    @Test
    void acceptsHs384AndHs512Tokens() {
        JwtValidation policy = JwtValidation.builder().clock(CLOCK)
                .key(JwtKey.hmac(JwtAlgorithm.HS384, SECRET), JwtKey.hmac(JwtAlgorithm.HS512, SECRET)).build();
        assertThat(tester.run(policy, bearer(token(Algorithm.HMAC384(SECRET))))).isInstanceOf(ChainResult.Admitted.class);
        assertThat(tester.run(policy, bearer(token(Algorithm.HMAC512(SECRET))))).isInstanceOf(ChainResult.Admitted.class);
        assertRefused(policy, bearer(token(Algorithm.HMAC256(SECRET))));
    }

    @Test
    void acceptsRsaTokensSignedWithPkcs1AndPss() {
        RSAPublicKey pub = (RSAPublicKey) rsa.getPublic();
        RSAPrivateKey priv = (RSAPrivateKey) rsa.getPrivate();
        JwtValidation policy = JwtValidation.builder().clock(CLOCK).key(
                JwtKey.publicKey(JwtAlgorithm.RS256, pub), JwtKey.publicKey(JwtAlgorithm.RS384, pub),
                JwtKey.publicKey(JwtAlgorithm.RS512, pub), JwtKey.publicKey(JwtAlgorithm.PS256, pub)).build();
        assertThat(tester.run(policy, bearer(token(Algorithm.RSA256(pub, priv))))).isInstanceOf(ChainResult.Admitted.class);
        assertThat(tester.run(policy, bearer(token(Algorithm.RSA384(pub, priv))))).isInstanceOf(ChainResult.Admitted.class);
        assertThat(tester.run(policy, bearer(token(Algorithm.RSA512(pub, priv))))).isInstanceOf(ChainResult.Admitted.class);
        assertThat(tester.run(policy, bearer(token(Algorithm.RSA256PSS(pub, priv))))).isInstanceOf(ChainResult.Admitted.class);
    }

    @Test
    void acceptsEcTokensOnP256AndP384() {
        JwtValidation policy = JwtValidation.builder().clock(CLOCK).key(
                JwtKey.publicKey(JwtAlgorithm.ES256, ec256.getPublic()), JwtKey.publicKey(JwtAlgorithm.ES384, ec384.getPublic())).build();
        assertThat(tester.run(policy, bearer(token(Algorithm.ECDSA256((ECPublicKey) ec256.getPublic(), (ECPrivateKey) ec256.getPrivate())))))
                .isInstanceOf(ChainResult.Admitted.class);
        assertThat(tester.run(policy, bearer(token(Algorithm.ECDSA384((ECPublicKey) ec384.getPublic(), (ECPrivateKey) ec384.getPrivate())))))
                .isInstanceOf(ChainResult.Admitted.class);
    }

    @Test
    void refusesAMissingToken() {
        assertRefused(hs256().build(), HandshakeRequest.builder().build());
        assertRefused(hs256().build(), HandshakeRequest.builder().header("Authorization", "Basic dXNlcjpwYXNz").build());
        assertRefused(hs256().build(), HandshakeRequest.builder().header("Authorization", "Bearer ").build());
    }

    @Test
    void refusesAMalformedToken() {
        assertRefused(hs256().build(), bearer("not-a-jwt"));
        assertRefused(hs256().build(), bearer("a.b.c"));
    }

    @Test
    void refusesATokenWithABadSignature() {
        assertRefused(hs256().build(), bearer(token(Algorithm.HMAC256(OTHER_SECRET))));
        String good = token(Algorithm.HMAC256(SECRET));
        assertRefused(hs256().build(), bearer(good.substring(0, good.length() - 2) + (good.endsWith("AA") ? "BB" : "AA")));
    }

    @Test
    void refusesAnUnsignedTokenWithAlgNone() {
        assertRefused(hs256().build(), bearer(token(Algorithm.none())));
    }

    @Test
    void refusesATokenSignedWithAnotherAlgorithmThanTheKeys() {
        RSAPublicKey pub = (RSAPublicKey) rsa.getPublic();
        JwtValidation rsOnly = JwtValidation.builder().clock(CLOCK).key(JwtKey.publicKey(JwtAlgorithm.RS256, pub)).build();
        // the classic confusion: HS256 with the RSA public key's bytes as the secret
        assertRefused(rsOnly, bearer(token(Algorithm.HMAC256(pub.getEncoded()))));
        assertRefused(rsOnly, bearer(token(Algorithm.HMAC256(SECRET))));
    }

    @Test
    void refusesAnExpiredTokenBeyondTheClockSkew() {
        String expired = token(Algorithm.HMAC256(SECRET), b -> b.withExpiresAt(NOW.minusSeconds(31)));
        assertRefused(hs256().build(), bearer(expired));
    }

    @Test
    void acceptsARecentlyExpiredTokenWithinTheClockSkew() {
        String justExpired = token(Algorithm.HMAC256(SECRET), b -> b.withExpiresAt(NOW.minusSeconds(20)));
        assertThat(tester.run(hs256().build(), bearer(justExpired))).isInstanceOf(ChainResult.Admitted.class);
        assertRefused(hs256().clockSkew(Duration.ZERO).build(), bearer(justExpired));
    }

    @Test
    void refusesATokenNotYetValid() {
        String future = token(Algorithm.HMAC256(SECRET), b -> b.withNotBefore(NOW.plusSeconds(120)));
        assertRefused(hs256().build(), bearer(future));
    }

    @Test
    void refusesATokenWithoutExpiryUnlessAllowed() {
        String noExp = token(Algorithm.HMAC256(SECRET), b -> b.withExpiresAt((Instant) null));
        assertRefused(hs256().build(), bearer(noExp));
        assertThat(tester.run(hs256().requireExpiration(false).build(), bearer(noExp))).isInstanceOf(ChainResult.Admitted.class);
    }

    @Test
    void refusesAWrongIssuerOrAudience() {
        assertRefused(hs256().build(), bearer(token(Algorithm.HMAC256(SECRET), b -> b.withIssuer("https://evil.test/"))));
        assertRefused(hs256().build(), bearer(token(Algorithm.HMAC256(SECRET), b -> b.withAudience("billing"))));
    }

    @Test
    void acceptsAnyOfSeveralIssuersAndAudiences() {
        JwtValidation policy = hs256().issuers("https://other.test/").audiences("billing").build();
        assertThat(tester.run(policy, bearer(token(Algorithm.HMAC256(SECRET), b -> b.withIssuer("https://other.test/")
                .withAudience("billing", "x"))))).isInstanceOf(ChainResult.Admitted.class);
    }

    @Test
    void refusesAMissingRequiredClaimOrAValueNotAccepted() {
        JwtValidation policy = hs256().requireClaim("scope", "chat:write", "chat:admin").requireClaim("tenant").build();
        assertRefused(policy, bearer(token(Algorithm.HMAC256(SECRET), b -> b.withClaim("scope", "chat:write"))));
        assertRefused(policy, bearer(token(Algorithm.HMAC256(SECRET), b -> b.withClaim("tenant", "t").withClaim("scope", "chat:read"))));
        assertThat(tester.run(policy, bearer(token(Algorithm.HMAC256(SECRET), b -> b.withClaim("tenant", "t")
                .withArrayClaim("scope", new String[] {"chat:read", "chat:admin"}))))).isInstanceOf(ChainResult.Admitted.class);
    }

    @Test
    void takesTheTokenFromAQueryParameterAndRemovesItFromTheBackendRequest() {
        JwtValidation policy = hs256().tokenFrom(TokenSource.queryParameter("access_token")).build();
        HandshakeRequest request = HandshakeRequest.builder().query("room=1&access_token=" + token(Algorithm.HMAC256(SECRET))).build();
        ChainResult.Admitted ok = tester.admitted(tester.run(policy, request));
        assertThat(ok.backend().uri().getRawQuery()).isEqualTo("room=1");
    }

    @Test
    void aQueryParameterWhoseNameIsPercentEncodedIsFoundAndRemovedByTheSameName() {
        JwtValidation policy = hs256().tokenFrom(TokenSource.queryParameter("access_token")).build();
        HandshakeRequest request = HandshakeRequest.builder()
                .query("room=1&access%5Ftoken=" + token(Algorithm.HMAC256(SECRET)) + "&lang=en").build();
        ChainResult.Admitted ok = tester.admitted(tester.run(policy, request));
        assertThat(ok.backend().uri().getRawQuery()).isEqualTo("room=1&lang=en");
    }

    @Test
    void takesTheTokenFromASubprotocolAndRemovesItFromThoseOffered() {
        JwtValidation policy = hs256().tokenFrom(TokenSource.authorizationHeader(), TokenSource.subprotocol("bearer.")).build();
        HandshakeRequest request = HandshakeRequest.builder().subprotocols("chat.v1", "bearer." + token(Algorithm.HMAC256(SECRET))).build();
        ChainResult.Admitted ok = tester.admitted(tester.run(policy, request));
        assertThat(ok.backend().subprotocols()).containsExactly("chat.v1");
    }

    @Test
    void aBrowsersMarkerIsKeptFromTheBackendAndNamedAsTheClientsAnswer() {
        JwtValidation policy = hs256().tokenFrom(TokenSource.subprotocol("bearer.", "wsgate.bearer")).build();
        HandshakeRequest request = HandshakeRequest.builder()
                .subprotocols("wsgate.bearer", "bearer." + token(Algorithm.HMAC256(SECRET)), "chat.v1").build();
        ChainResult.Admitted ok = tester.admitted(tester.run(policy, request));
        assertThat(ok.backend().subprotocols()).containsExactly("chat.v1");
        assertThat(ok.attributes()).containsEntry(ClientSubprotocol.ATTRIBUTE, "wsgate.bearer");
        assertThat(ClientSubprotocol.answer("", request, ok.attributes())).isEqualTo("wsgate.bearer");
        assertThat(ClientSubprotocol.answer("chat.v1", request, ok.attributes())).isEqualTo("chat.v1");
    }

    @Test
    void withoutTheMarkerOfferedNoAnswerIsNamed() {
        JwtValidation policy = hs256().tokenFrom(TokenSource.subprotocol("bearer.", "wsgate.bearer")).build();
        HandshakeRequest request = HandshakeRequest.builder().subprotocols("bearer." + token(Algorithm.HMAC256(SECRET))).build();
        ChainResult.Admitted ok = tester.admitted(tester.run(policy, request));
        assertThat(ok.backend().subprotocols()).isEmpty();
        assertThat(ok.attributes()).doesNotContainKey(ClientSubprotocol.ATTRIBUTE);
        assertThat(ClientSubprotocol.answer("", request, ok.attributes())).isEmpty();
    }

    @Test
    void aMarkerThatIsNoTokenOrLooksLikeATokenEntryIsRefused() {
        assertThatThrownBy(() -> TokenSource.subprotocol("bearer.", "bearer.x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'bearer.x'").hasMessageContaining("does not start with the prefix 'bearer.'");
        assertThatThrownBy(() -> TokenSource.subprotocol("bearer.", "a b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a b'");
    }

    @Test
    void takesTheTokenFromACookie() {
        JwtValidation policy = hs256().tokenFrom(TokenSource.cookie("jwt")).build();
        HandshakeRequest request = HandshakeRequest.builder()
                .header("Cookie", "theme=dark; jwt=" + token(Algorithm.HMAC256(SECRET)) + "; x=1").build();
        assertThat(tester.run(policy, request)).isInstanceOf(ChainResult.Admitted.class);
        assertRefused(policy, bearer(token(Algorithm.HMAC256(SECRET))));
    }

    @Test
    void verifiesWithTheKeyNamedByTheTokensKeyId() {
        JwtValidation policy = JwtValidation.builder().clock(CLOCK)
                .key(JwtKey.hmac(JwtAlgorithm.HS256, SECRET).withKeyId("a"), JwtKey.hmac(JwtAlgorithm.HS256, OTHER_SECRET).withKeyId("b"))
                .build();
        assertThat(tester.run(policy, bearer(token(Algorithm.HMAC256(OTHER_SECRET), b -> b.withKeyId("b")))))
                .isInstanceOf(ChainResult.Admitted.class);
        assertRefused(policy, bearer(token(Algorithm.HMAC256(OTHER_SECRET), b -> b.withKeyId("a"))));
        assertRefused(policy, bearer(token(Algorithm.HMAC256(OTHER_SECRET), b -> b.withKeyId("c"))));
    }

    @Test
    void refusesBadKeysWhenConfigured() {
        assertThatThrownBy(() -> JwtKey.hmac(JwtAlgorithm.HS256, "short"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 32 bytes, got 5");
        assertThatThrownBy(() -> JwtKey.hmac(JwtAlgorithm.RS256, SECRET))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RS256 is not an HMAC algorithm");
        assertThatThrownBy(() -> JwtKey.publicKey(JwtAlgorithm.ES256, rsa.getPublic()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ES256 needs an EC public key");
        assertThatThrownBy(() -> JwtKey.publicKey(JwtAlgorithm.ES256, ec384.getPublic()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256-bit curve, got a 384-bit one");
        assertThatThrownBy(() -> JwtKey.publicKey(JwtAlgorithm.RS256, ec256.getPublic()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RS256 needs an RSA public key");
        assertThatThrownBy(() -> JwtValidation.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one key");
        assertThatThrownBy(() -> hs256().clockSkew(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clockSkew");
        assertThatThrownBy(() -> TokenSource.queryParameter(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("query parameter name is blank");
    }

    @Test
    void neverPrintsAKey() {
        assertThat(JwtKey.hmac(JwtAlgorithm.HS256, SECRET).withKeyId("k1").toString()).isEqualTo("JwtKey[HS256, kid=k1]");
    }
}
