package io.wsgate.testing;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.GatewayConfig;
import io.wsgate.core.error.ErrorOverride;
import io.wsgate.core.error.GatewayError;
import io.wsgate.core.policy.Policies;
import io.wsgate.core.policy.PolicyCatalog;
import io.wsgate.core.policy.ProductDefinition;
import io.wsgate.core.policy.backend.BackendPolicies;
import io.wsgate.core.policy.custom.CustomAuthorizer;
import io.wsgate.core.policy.custom.ReturnResponse;
import io.wsgate.core.policy.jwt.JwksKeys;
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

import java.net.URI;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's Policies, Errors and PolicyTester examples, line for line (between the markers), so that they keep
 * compiling, building valid configurations and deciding as the README says. Here rather than in wsgate-core: the
 * live-token and PolicyTester snippets use this module's {@link ManualScheduler} and {@link PolicyTester}.
 */
class ReadmePolicyExamplesTest {

    /** Stands for the application's auth client in the custom authorizer example. */
    interface AuthService {
        CompletionStage<HandshakeDecision> check(HandshakeRequest request);
    }

    private final AuthService authService = request -> CompletableFuture.completedFuture(HandshakeDecision.proceed());

    @Test
    void theReadmesPolicyExamplesCompileAndBuildValidConfigurations() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        PublicKey issuerPublicKey = g.generateKeyPair().getPublic();

        // ---- README: validate-jwt
        HandshakePolicy jwt = JwtValidation.builder()
                .key(JwtKey.publicKey(JwtAlgorithm.RS256, issuerPublicKey))
                .jwks(JwksKeys.builder(URI.create("https://login.example.com/.well-known/jwks.json")).build())
                .issuers("https://login.example.com/").audiences("chat")
                .requireClaim("scope", "chat:write")
                .clockSkew(Duration.ofSeconds(30))
                .tokenFrom(TokenSource.authorizationHeader(), TokenSource.queryParameter("access_token"),
                        TokenSource.cookie("jwt"), TokenSource.subprotocol("bearer."))
                .build();

        // ---- README: scopes
        PolicyCatalog catalog = PolicyCatalog.builder()
                .global(IpFilter.builder().forbid("192.0.2.0/24").build())           // runs first everywhere
                .product(ProductDefinition.builder("gold").subscriptionKeys("k-gold")
                        .policies(RateLimitByKey.rate(100, Duration.ofMinutes(1)).key(RateKey.subscription()).build())
                        .build())
                .build();
        ApiDefinition chat = ApiDefinition.builder("chat").backend("ws://chat.internal:8080/ws").urlSuffix("/chat")
                .products("gold")
                .onHandshake(CheckOrigin.of("https://app.example.com"), Policies.base(), jwt) // origin, then global + product, then jwt
                .build();
        GatewayConfig config = GatewayConfig.builder().policies(catalog).api(chat).build();

        // ---- README: live-token enforcement
        ApiDefinition legacy = ApiDefinition.builder("legacy").backend("ws://legacy.internal/ws")
                .onHandshake(jwt).enforceTokenExpiry(false).build();
        ManualScheduler time = ManualScheduler.startingAt(Instant.now());
        GatewayConfig testConfig = GatewayConfig.builder().clock(time.clock()).scheduler(time).policies(catalog).api(chat).build();
        time.advance(Duration.ofMinutes(5)); // pairs whose exp + skew is now past are closed with 1008

        // ---- README: ip-filter, check-origin, check-header
        HandshakePolicy ips = IpFilter.builder().allow("10.0.0.0/8", "2001:db8::/32")
                .clientAddresses(ClientAddresses.trusting("10.1.1.1")).build();
        HandshakePolicy origins = CheckOrigin.of("https://app.example.com", "https://*.example.com");
        HandshakePolicy client = CheckHeader.builder("X-Client").values("web", "ios").status(401).build();

        // ---- README: rate-limit-by-key, quota-by-key
        HandshakePolicy perUser = RateLimitByKey.rate(10, Duration.ofMinutes(1)).key(RateKey.claim("sub")).build();
        HandshakePolicy daily = RateLimitByKey.quota(1000, Duration.ofDays(1)).key(RateKey.subscription()).build();

        // ---- README: connection limits
        GatewayConfig limited = GatewayConfig.builder().policies(catalog).api(chat)
                .connectionLimits(ConnectionLimiter.builder().perGateway(10_000).perApi(1_000)
                        .perKey(5, RateKey.claim("sub")).build())
                .build();

        // ---- README: backend policies
        HandshakePolicy user = BackendPolicies.setHeader("X-User", "${claim.sub}");
        HandshakePolicy noCookies = BackendPolicies.removeHeader("Cookie");
        HandshakePolicy tenant = BackendPolicies.setQueryParameter("tenant", "${header.X-Tenant}");
        HandshakePolicy v2 = BackendPolicies.rewritePath("/v2${backend.path}");
        HandshakePolicy region = BackendPolicies.setBackend("${claim.region}",
                Map.of("eu", URI.create("wss://eu.chat.internal"), "us", URI.create("wss://us.chat.internal")));

        // ---- README: custom authorizer, return-response, your own
        HandshakePolicy auth = CustomAuthorizer.builder("auth-service", ctx -> authService.check(ctx.request()))
                .timeout(Duration.ofSeconds(2)).build();
        HandshakePolicy closed = ReturnResponse.of(HandshakeDecision.reject(503, "MAINTENANCE", "Back soon.")
                .withHeader("Retry-After", "600"));
        HandshakePolicy tenantMatches = HandshakePolicy.of("tenant", ctx ->
                ctx.request().header("X-Tenant").equals(Optional.of("acme"))
                        ? HandshakeDecision.proceed().withHeader("X-Tenant-Checked", "yes")
                        : HandshakeDecision.reject(403, "TENANT_FORBIDDEN", "Wrong tenant."));

        // ---- README: error overrides
        GatewayConfig branded = GatewayConfig.builder().policies(catalog).api(chat)
                .errorResponse(GatewayError.API_NOT_FOUND, ErrorOverride.builder()
                        .body("<h1>${message}</h1><p>Request ${requestId}</p>").build())
                .errorResponse("chat", GatewayError.UNAUTHORIZED, ErrorOverride.builder()
                        .header("WWW-Authenticate", "Bearer realm=\"chat\", error=\"invalid_token\"")
                        .message("Sign in again.")
                        .body("{\"code\":\"${error}\",\"detail\":\"${message}\",\"trace\":\"${requestId}\"}").build())
                .build();

        // Every policy fits on one API, and every configuration resolved its chains.
        ApiDefinition all = ApiDefinition.builder("all").backend("ws://all.internal/ws").urlSuffix("/all")
                .onHandshake(ips, origins, client, perUser, daily, user, noCookies, tenant, v2, region, auth, closed,
                        tenantMatches)
                .build();
        assertThat(GatewayConfig.builder().api(all, legacy).build().explain("all")).contains("tenant");
        assertThat(config.explain("chat")).contains("gold");
        assertThat(testConfig.scheduler()).isSameAs(time);
        assertThat(limited.connectionLimiter()).isPresent();
        assertThat(branded.errorResponses("chat")).containsKeys(GatewayError.API_NOT_FOUND, GatewayError.UNAUTHORIZED);
    }

    @Test
    void theReadmesPolicyTesterExampleAdmitsTheTenant() {
        // ---- README: a policy of your own, run by PolicyTester
        HandshakePolicy tenant = HandshakePolicy.of("tenant", ctx ->
                ctx.request().header("X-Tenant").isPresent()
                        ? HandshakeDecision.proceed().withHeader("X-Verified-Tenant", ctx.request().header("X-Tenant").get())
                        : HandshakeDecision.reject(403, "TENANT_MISSING", "X-Tenant header required"));

        ChainOutcome outcome = PolicyTester.create().run(tenant, HandshakeRequest.builder().header("X-Tenant", "acme").build());
        assertThat(PolicyTester.create().admitted(outcome).backend().headers().first("X-Verified-Tenant")).contains("acme");
    }

    @Test
    void theReadmeSnippetsAreTheOnesThisTestMirrors() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
        for (String line : new String[] {
                ".onHandshake(jwt).enforceTokenExpiry(false).build();",
                "HandshakePolicy perUser = RateLimitByKey.rate(10, Duration.ofMinutes(1)).key(RateKey.claim(\"sub\")).build();",
                "HandshakePolicy region = BackendPolicies.setBackend(\"${claim.region}\",",
                ".errorResponse(\"chat\", GatewayError.UNAUTHORIZED, ErrorOverride.builder()",
                "HandshakePolicy closed = ReturnResponse.of(HandshakeDecision.reject(503, \"MAINTENANCE\", \"Back soon.\")",
                ".tokenFrom(TokenSource.authorizationHeader(), TokenSource.queryParameter(\"access_token\"),",
                "ChainOutcome outcome = PolicyTester.create().run(tenant, HandshakeRequest.builder().header(\"X-Tenant\", \"acme\").build());",
                "ManualScheduler time = ManualScheduler.startingAt(Instant.now());"}) {
            assertThat(readme).contains(line);
        }
    }
}
