package io.wsgate.jetty;

import com.auth0.jwt.algorithms.Algorithm;
import io.wsgate.api.ApiDefinition;
import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.core.GatewayConfig;
import io.wsgate.core.policy.PolicyCatalog;
import io.wsgate.core.policy.ProductDefinition;
import io.wsgate.core.policy.backend.BackendPolicies;
import io.wsgate.core.policy.custom.CustomAuthorizer;
import io.wsgate.core.policy.custom.ReturnResponse;
import io.wsgate.core.policy.jwt.JwtAlgorithm;
import io.wsgate.core.policy.jwt.JwtKey;
import io.wsgate.core.policy.jwt.JwtValidation;
import io.wsgate.core.policy.jwt.TokenSource;
import io.wsgate.core.policy.limit.ConnectionLimiter;
import io.wsgate.core.policy.limit.RateKey;
import io.wsgate.core.policy.limit.RateLimitByKey;
import io.wsgate.core.policy.network.CheckHeader;
import io.wsgate.core.policy.network.CheckOrigin;
import io.wsgate.core.policy.network.ClientAddresses;
import io.wsgate.core.policy.network.IpFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every built-in policy, accepting and refusing, over real handshakes: client, gateway, backend on loopback. */
@ParameterizedClass(name = "{0}")
@EnumSource(Mount.class)
class PoliciesEndToEndTest extends PolicyTestBase {

    PoliciesEndToEndTest(Mount mount) {
        super(mount);
    }

    private static JwtValidation.Builder jwt() {
        return JwtValidation.builder().key(JwtKey.hmac(JwtAlgorithm.HS256, SECRET))
                .issuers("https://issuer.test/").audiences("chat");
    }

    private void startWith(HandshakePolicy... onHandshake) throws Exception {
        startGateway(GatewayConfig.builder().api(api("chat", "/chat", "/backend").onHandshake(onHandshake).build()).build());
    }

    // ---- validate-jwt

    @Test
    void aValidTokenInTheAuthorizationHeaderIsAdmittedAndItsClaimsReachTheBackendAsHeaders() throws Exception {
        startWith(jwt().build(), BackendPolicies.setHeader("X-User", "${claim.sub}"));
        String token = token(b -> b.withSubject("ann"));

        RecordingClient c = connect("/chat/room", Map.of("Authorization", "Bearer " + token));

        TestBackend.Seen seen = seen();
        assertThat(seen.path()).isEqualTo("/backend/room");
        assertThat(seen.header("X-User")).isEqualTo("ann");
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.gateway().openPairs() == 1); // established after the 101
        assertThat(gateway.gateway().pairs()).singleElement()
                .satisfies(p -> assertThat(p.attributes()).containsKey(JwtValidation.EXPIRES_AT_ATTRIBUTE));
        echoAndClose(c);
    }

    @Test
    void aTokenInTheQueryIsRemovedBeforeTheBackendHandshake() throws Exception {
        startWith(jwt().tokenFrom(TokenSource.queryParameter("access_token")).build());

        RecordingClient c = connect("/chat?room=7&access_token=" + token(b -> b) + "&lang=en", Map.of());

        TestBackend.Seen seen = seen();
        assertThat(seen.query()).isEqualTo("room=7&lang=en");
        echoAndClose(c);
    }

    @Test
    void aTokenInAQueryParameterWithAPercentEncodedNameIsAcceptedAndNotForwarded() throws Exception {
        startWith(jwt().tokenFrom(TokenSource.queryParameter("access_token")).build());

        RecordingClient c = connect("/chat?room=7&access%5Ftoken=" + token(b -> b) + "&lang=en", Map.of());

        assertThat(seen().query()).isEqualTo("room=7&lang=en");
        echoAndClose(c);
    }

    @Test
    void aHeaderNamedWithAnyTokenCharacterOrValuedWithObsTextIsAcceptedAndForwarded() throws Exception {
        startWith(BackendPolicies.setHeader("X-Added", "1"));

        RawResponse r = raw(upgradeRequest("/chat", "X-Odd!#$%&'*+-.^_`|~9: v", "X-Latin: caf\u00e9 \u00ff\tend"));

        assertThat(r.status()).isEqualTo(101);
        TestBackend.Seen seen = seen();
        assertThat(seen.header("X-Odd!#$%&'*+-.^_`|~9")).isEqualTo("v");
        assertThat(seen.header("X-Latin")).isNotNull();
        assertThat(seen.header("X-Added")).isEqualTo("1");
    }

    @Test
    void aTokenInASubprotocolIsRemovedFromTheProtocolsOfferedToTheBackend() throws Exception {
        backend.chooseSubprotocol = "chat.v1";
        startWith(jwt().tokenFrom(TokenSource.subprotocol("bearer.")).build());

        RecordingClient c = connect("/chat", Map.of(), "bearer." + token(b -> b), "chat.v1");

        assertThat(seen().subprotocols()).containsExactly("chat.v1");
        assertThat(c.session.getNegotiatedSubProtocol()).isEqualTo("chat.v1");
        echoAndClose(c);
    }

    @Test
    void aBrowsersMarkerBesideTheTokenIsWhatTheClientIsAnsweredWhenTheBackendChoosesNone() throws Exception {
        startWith(jwt().tokenFrom(TokenSource.subprotocol("bearer.", "wsgate.bearer")).build());

        RecordingClient c = connect("/chat", Map.of(), "wsgate.bearer", "bearer." + token(b -> b));

        assertThat(seen().subprotocols()).as("neither the token nor the marker reach the backend").isEmpty();
        assertThat(c.session.getNegotiatedSubProtocol()).isEqualTo("wsgate.bearer");
        echoAndClose(c);
    }

    @Test
    void aBackendsOwnChoiceWinsOverTheMarker() throws Exception {
        backend.chooseSubprotocol = "chat.v1";
        startWith(jwt().tokenFrom(TokenSource.subprotocol("bearer.", "wsgate.bearer")).build());

        RecordingClient c = connect("/chat", Map.of(), "wsgate.bearer", "bearer." + token(b -> b), "chat.v1");

        assertThat(seen().subprotocols()).containsExactly("chat.v1");
        assertThat(c.session.getNegotiatedSubProtocol()).isEqualTo("chat.v1");
        echoAndClose(c);
    }

    @Test
    void aTokenInACookieIsAdmitted() throws Exception {
        startWith(jwt().tokenFrom(TokenSource.cookie("jwt")).build());

        RecordingClient c = connect("/chat", Map.of("Cookie", "theme=dark; jwt=" + token(b -> b)));

        assertThat(seen().header("Cookie")).contains("jwt=");
        echoAndClose(c);
    }

    @Test
    void anRs256TokenIsVerifiedWithThePublicKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair rsa = g.generateKeyPair();
        startWith(JwtValidation.builder().key(JwtKey.publicKey(JwtAlgorithm.RS256, rsa.getPublic())).build());
        String token = token(Algorithm.RSA256((RSAPublicKey) rsa.getPublic(), (RSAPrivateKey) rsa.getPrivate()), b -> b);

        RecordingClient c = connect("/chat", Map.of("Authorization", "Bearer " + token));

        seen();
        echoAndClose(c);
    }

    @Test
    void everyBadTokenIsRefusedWith401AndAnInvalidTokenChallengeAndNoBackendConnection() throws Exception {
        startWith(jwt().requireClaim("scope", "chat:write").build());
        String good = token(b -> b.withClaim("scope", "chat:write"));
        String[] header = good.split("\\.");
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes())
                + "." + header[1] + ".";
        Map<String, String> bad = Map.of(
                "missing", "",
                "malformed", bearer("not.a.jwt"),
                "bad signature", bearer(token(Algorithm.HMAC256(OTHER_SECRET), b -> b.withClaim("scope", "chat:write"))),
                "alg none", bearer(none),
                "wrong algorithm", bearer(token(Algorithm.HMAC384(SECRET), b -> b.withClaim("scope", "chat:write"))),
                "expired", bearer(token(b -> b.withClaim("scope", "chat:write").withExpiresAt(Instant.now().minusSeconds(3600)))),
                "not yet valid", bearer(token(b -> b.withClaim("scope", "chat:write").withNotBefore(Instant.now().plusSeconds(3600)))),
                "wrong issuer", bearer(token(b -> b.withClaim("scope", "chat:write").withIssuer("https://evil.test/"))),
                "wrong audience", bearer(token(b -> b.withClaim("scope", "chat:write").withAudience("billing"))),
                "missing claim", bearer(token(b -> b)));

        for (Map.Entry<String, String> e : bad.entrySet()) {
            RawResponse r = e.getValue().isEmpty() ? raw(upgradeRequest("/chat")) : raw(upgradeRequest("/chat", e.getValue()));

            assertRefused(r, 401, "UNAUTHORIZED");
            assertThat(r.header("WWW-Authenticate")).as(e.getKey()).isEqualTo(JwtValidation.CHALLENGE);
            assertThat(r.body()).as(e.getKey()).doesNotContainIgnoringCase("expired").doesNotContainIgnoringCase("signature");
        }
        assertThat(raw(upgradeRequest("/chat", bearer(good))).status()).isEqualTo(101);
        seen();
    }

    // ---- ip-filter

    @Test
    void anAllowedAddressIsAdmittedAndAForbiddenOneGets403() throws Exception {
        ApiDefinition open = api("open", "/open", "/backend").onHandshake(IpFilter.builder().allow("127.0.0.0/8", "::1/128").build()).build();
        ApiDefinition closed = api("closed", "/closed", "/backend").onHandshake(IpFilter.builder().forbid("127.0.0.1").build()).build();
        startGateway(GatewayConfig.builder().api(open, closed).build());

        assertRefused(raw(upgradeRequest("/closed")), 403, "IP_FORBIDDEN");
        RecordingClient c = connect("/open", Map.of());
        seen();
        echoAndClose(c);
    }

    @Test
    void theForwardedAddressCountsOnlyFromATrustedProxy() throws Exception {
        IpFilter.Builder filter = IpFilter.builder().forbid("203.0.113.0/24");
        ApiDefinition trusting = api("trusting", "/trusting", "/backend")
                .onHandshake(filter.clientAddresses(ClientAddresses.trusting("127.0.0.1")).build()).build();
        ApiDefinition direct = api("direct", "/direct", "/backend")
                .onHandshake(IpFilter.builder().forbid("203.0.113.0/24").build()).build();
        startGateway(GatewayConfig.builder().api(trusting, direct).build());

        assertRefused(raw(upgradeRequest("/trusting", "X-Forwarded-For: 203.0.113.9")), 403, "IP_FORBIDDEN");
        RecordingClient c = connect("/direct", Map.of("X-Forwarded-For", "203.0.113.9"));
        seen();
        echoAndClose(c);
    }

    // ---- check-origin, check-header

    @Test
    void anAllowedOriginIsAdmittedAndAnotherOrNoneGets403() throws Exception {
        startWith(CheckOrigin.of("https://app.example.com", "https://*.example.org"));

        assertRefused(raw(upgradeRequest("/chat", "Origin: https://evil.example.net")), 403, "ORIGIN_FORBIDDEN");
        assertRefused(raw(upgradeRequest("/chat")), 403, "ORIGIN_FORBIDDEN");
        RecordingClient c = connect("/chat", Map.of("Origin", "https://eu.example.org"));
        assertThat(seen().header("Origin")).isEqualTo("https://eu.example.org");
        echoAndClose(c);
    }

    @Test
    void aMissingOrWrongHeaderGetsTheConfiguredStatus() throws Exception {
        startWith(CheckHeader.builder("X-Client").values("web", "ios").status(401).build());

        assertRefused(raw(upgradeRequest("/chat")), 401, "HEADER_FORBIDDEN");
        assertRefused(raw(upgradeRequest("/chat", "X-Client: tv")), 401, "HEADER_FORBIDDEN");
        RecordingClient c = connect("/chat", Map.of("X-Client", "ios"));
        assertThat(seen().header("X-Client")).isEqualTo("ios");
        echoAndClose(c);
    }

    // ---- subscription keys and products

    @Test
    void theSubscriptionKeySelectsTheProductAndAMissingOrUnknownOneGets401() throws Exception {
        ProductDefinition gold = ProductDefinition.builder("gold").subscriptionKeys("k-gold")
                .policies(BackendPolicies.setHeader("X-Product", "gold")).build();
        PolicyCatalog catalog = PolicyCatalog.builder().product(gold).build();
        startGateway(GatewayConfig.builder().policies(catalog)
                .api(api("chat", "/chat", "/backend").products("gold").build()).build());

        assertRefused(raw(upgradeRequest("/chat")), 401, "SUBSCRIPTION_KEY_MISSING");
        assertRefused(raw(upgradeRequest("/chat", "Ocp-Apim-Subscription-Key: k-tin")), 401, "SUBSCRIPTION_KEY_INVALID");
        RecordingClient c = connect("/chat?subscription-key=k-gold", Map.of());
        assertThat(seen().header("X-Product")).isEqualTo("gold");
        echoAndClose(c);
    }

    @Test
    void aSubscriptionKeyInAQueryParameterWithAPercentEncodedNameSelectsTheProductAndIsNotForwarded() throws Exception {
        ProductDefinition gold = ProductDefinition.builder("gold").subscriptionKeys("k-gold")
                .policies(BackendPolicies.setHeader("X-Product", "gold")).build();
        startGateway(GatewayConfig.builder().policies(PolicyCatalog.builder().product(gold).build())
                .api(api("chat", "/chat", "/backend").products("gold").build()).build());

        RecordingClient c = connect("/chat?subscription%2Dkey=k-gold&room=7", Map.of());

        TestBackend.Seen seen = seen();
        assertThat(seen.header("X-Product")).isEqualTo("gold");
        assertThat(seen.query()).isEqualTo("room=7");
        echoAndClose(c);
    }

    // ---- rate-limit-by-key, quota-by-key

    @Test
    void theThirdHandshakeOfAKeyWithinThePeriodGets429WithRetryAfterAndOtherKeysAreNotCounted() throws Exception {
        startWith(RateLimitByKey.rate(2, Duration.ofHours(1)).key(RateKey.header("X-Client-Id")).build());

        for (int i = 0; i < 2; i++) {
            RecordingClient c = connect("/chat", Map.of("X-Client-Id", "a"));
            seen();
            echoAndClose(c);
        }
        RawResponse third = raw(upgradeRequest("/chat", "X-Client-Id: a"));

        assertRefused(third, 429, "RATE_LIMITED");
        assertThat(Long.parseLong(third.header("Retry-After"))).isPositive();
        RecordingClient other = connect("/chat", Map.of("X-Client-Id", "b"));
        seen();
        echoAndClose(other);
    }

    @Test
    void aSpentQuotaGets403WithRetryAfter() throws Exception {
        startWith(RateLimitByKey.quota(1, Duration.ofDays(1)).key(RateKey.clientIp()).build());

        RecordingClient c = connect("/chat", Map.of());
        seen();
        echoAndClose(c);
        RawResponse second = raw(upgradeRequest("/chat"));

        assertRefused(second, 403, "QUOTA_EXCEEDED");
        assertThat(Long.parseLong(second.header("Retry-After"))).isPositive();
    }

    // ---- connection limits

    @Test
    void aSecondConcurrentPairOfAKeyGets429AndThePermitComesBackWhenTheFirstCloses() throws Exception {
        ConnectionLimiter limiter = ConnectionLimiter.builder().perKey(1, RateKey.claim("sub")).build();
        startGateway(GatewayConfig.builder().connectionLimits(limiter)
                .api(api("chat", "/chat", "/backend").onHandshake(jwt().build()).build()).build());
        Map<String, String> ann = Map.of("Authorization", "Bearer " + token(b -> b.withSubject("ann")));

        RecordingClient first = connect("/chat", ann);
        seen();
        RawResponse second = raw(upgradeRequest("/chat", "Authorization: " + ann.get("Authorization")));
        RecordingClient bob = connect("/chat", Map.of("Authorization", "Bearer " + token(b -> b.withSubject("bob"))));
        seen();

        assertRefused(second, 429, "CONNECTION_LIMIT");
        assertThat(second.header("Retry-After")).isNotNull();
        assertThat(limiter.active()).isEqualTo(2);
        echoAndClose(first);
        echoAndClose(bob);
        RecordingClient again = connect("/chat", ann);
        seen();
        echoAndClose(again);
    }

    // ---- backend policies

    @Test
    void headersQueryPathAreSetAndRemovedAsThePoliciesSay() throws Exception {
        startWith(BackendPolicies.setHeader("X-Request", "${requestId}"),
                BackendPolicies.removeHeader("Cookie"),
                BackendPolicies.setQueryParameter("tenant", "${header.X-Tenant}"),
                BackendPolicies.removeQueryParameter("debug"),
                BackendPolicies.rewritePath("/v2${backend.path}"));

        RecordingClient c = connect("/chat/room/1?debug=1&x=y", Map.of("Cookie", "session=s", "X-Tenant", "acme"));

        TestBackend.Seen seen = seen();
        assertThat(seen.path()).isEqualTo("/v2/backend/room/1");
        assertThat(seen.query()).contains("x=y").contains("tenant=acme").doesNotContain("debug");
        assertThat(seen.header("Cookie")).isNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.gateway().openPairs() == 1);
        assertThat(seen.header("X-Request")).isEqualTo(gateway.gateway().pairs().iterator().next().requestId());
        echoAndClose(c);
    }

    @Test
    void setBackendSendsTheHandshakeToTheBackendTheHeaderNames() throws Exception {
        try (TestBackend other = new TestBackend()) {
            startWith(BackendPolicies.setBackend("${header.X-Region}", Map.of("eu", URI.create("ws://127.0.0.1:" + other.port()))));

            RecordingClient eu = connect("/chat", Map.of("X-Region", "eu"));
            TestBackend.Seen atOther = other.handshakes.poll(10, TimeUnit.SECONDS);
            RecordingClient us = connect("/chat", Map.of("X-Region", "us"));

            assertThat(atOther).isNotNull();
            assertThat(atOther.path()).isEqualTo("/backend");
            assertThat(seen().header("X-Region")).isEqualTo("us");
            assertThat(backend.handshakes).isEmpty();
            echoAndClose(eu);
            echoAndClose(us);
        }
    }

    // ---- custom authorizer, return-response

    @Test
    void aCustomAuthorizerAdmitsRefusesOrIsUnavailable() throws Exception {
        HandshakePolicy authorizer = CustomAuthorizer.builder("auth-service", ctx -> {
            String who = ctx.request().header("X-Who").orElse("");
            return switch (who) {
                case "friend" -> CompletableFuture.completedFuture(HandshakeDecision.proceed().withHeader("X-Authorized", "yes"));
                case "foe" -> CompletableFuture.completedFuture(HandshakeDecision.reject(403, "NOT_A_FRIEND", "No."));
                case "broken" -> CompletableFuture.failedFuture(new IllegalStateException("auth service down at 10.0.0.7"));
                default -> new CompletableFuture<>(); // never answers
            };
        }).timeout(Duration.ofMillis(200)).build();
        startWith(authorizer);

        assertRefused(raw(upgradeRequest("/chat", "X-Who: foe")), 403, "NOT_A_FRIEND");
        RawResponse broken = raw(upgradeRequest("/chat", "X-Who: broken"));
        assertRefused(broken, 503, "AUTHORIZER_UNAVAILABLE");
        assertThat(broken.body()).doesNotContain("10.0.0.7");
        assertRefused(raw(upgradeRequest("/chat", "X-Who: silent")), 503, "AUTHORIZER_UNAVAILABLE");
        RecordingClient c = connect("/chat", Map.of("X-Who", "friend"));
        assertThat(seen().header("X-Authorized")).isEqualTo("yes");
        echoAndClose(c);
    }

    @Test
    void returnResponseAnswersWithItsStatusHeadersAndBody() throws Exception {
        startWith(ReturnResponse.of(HandshakeDecision.reject(503, "MAINTENANCE", "Back soon.")
                .withHeader("Retry-After", "120").withBody("closed for maintenance")));

        RawResponse r = raw(upgradeRequest("/chat"));

        assertThat(r.status()).isEqualTo(503);
        assertThat(r.header("Retry-After")).isEqualTo("120");
        assertThat(r.body()).isEqualTo("closed for maintenance");
        assertThat(r.header("Content-Type")).startsWith("text/plain");
        assertThat(backend.handshakes).isEmpty();
        RawResponse json = raw(upgradeRequest("/chat"));
        assertThat(json.status()).isEqualTo(503);
    }

    @Test
    void returnResponseWithoutBodyRendersTheGatewayTemplate() throws Exception {
        startWith(ReturnResponse.of(403, "CLOSED", "This API is closed."));

        RawResponse r = raw(upgradeRequest("/chat"));

        assertRefused(r, 403, "CLOSED");
        assertThat(r.body()).contains("This API is closed.");
        assertThat(Optional.ofNullable(r.header("Cache-Control"))).contains("no-store");
    }
}
