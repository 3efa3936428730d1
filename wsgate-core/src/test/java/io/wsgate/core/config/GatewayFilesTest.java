package io.wsgate.core.config;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.ApiLimits;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.api.UrlScheme;
import io.wsgate.core.GatewayConfig;
import io.wsgate.core.error.ErrorOverride;
import io.wsgate.core.error.GatewayError;
import io.wsgate.core.file.GatewayFileLoader;
import io.wsgate.core.file.GatewayFiles;
import io.wsgate.core.internal.handshake.ErrorResponses;
import io.wsgate.core.internal.policy.ChainResult;
import io.wsgate.core.policy.ChainStep;
import io.wsgate.core.policy.ProductDefinition;
import io.wsgate.core.policy.TestChains;
import io.wsgate.core.policy.jwt.JwtValidation;
import io.wsgate.core.policy.jwt.TokenSource;
import io.wsgate.core.transport.ErrorResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class GatewayFilesTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-01-01T12:00:00Z"), ZoneOffset.UTC);
    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    private final GatewayFileLoader loader = GatewayFiles.loader().withClock(CLOCK).withClassLoader(tenantService());

    /**
     * @return a class loader that lists {@link TenantPolicyFactory} in {@code META-INF/services}, as a user's jar
     *         would: the entry lives under tenant-service/, not at the root of the test classes, so that it
     *         registers a test factory for these tests only
     */
    static ClassLoader tenantService() {
        return new URLClassLoader(new URL[] {GatewayFilesTest.class.getResource("tenant-service/")},
                GatewayFilesTest.class.getClassLoader());
    }

    private static final String FULL = """
            gateway:
              name: edge-1
              policyTimeout: 5s
              subscriptionHeader: X-Key
              subscriptionQuery: key
              trustedProxies: [10.0.0.0/8]
              connectionLimits:
                perGateway: 1000
                perApi: 100
                perKey: 5
                key: { claim: sub }
              policies:
                - ip-filter:
                    forbid: [192.0.2.0/24, "2001:db8::/32"]
                - cors: { allowed-origins: "*" }
            products:
              - name: gold
                subscriptionRequired: true
                subscriptionKeys: [k-gold-1, k-gold-2]
                policies:
                  - base
                  - rate-limit-by-key: { permits: 100, period: 1m, key: subscription }
              - name: free
                subscriptionRequired: false
            apis:
              - name: chat
                displayName: Chat service
                backendUrl: wss://chat.internal:8443/ws
                schemes: [wss]
                urlSuffix: /chat
                products: [gold]
                gateways: [edge-1]
                limits:
                  maxMessageSize: 64KiB
                  maxFrameSize: 16384
                  idleTimeout: 2m
                  handshakeTimeout: PT3S
                policies:
                  - check-header: { name: X-Client, values: [web, ios], status: 401 }
                onHandshake:
                  - check-origin: { allow: ["https://*.example.com"], allowMissing: false }
                  - base
                  - set-header: { name: X-User, value: "${header.X-Client}" }
              - name: echo
                backendUrl: ws://127.0.0.1:9000/
                urlSuffix: /echo
                enforceTokenExpiry: false
            """;

    private GatewayConfig parse(String yaml) {
        return loader.parse(yaml, "gateway.yaml");
    }

    private GatewayFileException failure(String yaml) {
        return catchThrowableOfType(GatewayFileException.class, () -> parse(yaml));
    }

    @Test
    void readsTheGatewayItsProductsAndItsApisIntoTheBuildersCodeUses() {
        GatewayConfig config = parse(FULL);

        assertThat(config.name()).isEqualTo("edge-1");
        assertThat(config.policyTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.clock()).isSameAs(CLOCK);
        assertThat(config.connectionLimiter()).isPresent();
        assertThat(config.policies().subscriptionHeader()).isEqualTo("X-Key");
        assertThat(config.policies().subscriptionQuery()).isEqualTo("key");
        assertThat(config.policies().global()).extracting(p -> p.name()).containsExactly("ip-filter", "cors");
        ProductDefinition gold = config.policies().products().get("gold");
        assertThat(gold.subscriptionKeys()).containsExactlyInAnyOrder("k-gold-1", "k-gold-2");
        assertThat(gold.subscriptionRequired()).isTrue();
        assertThat(config.policies().products().get("free").subscriptionRequired()).isFalse();

        ApiDefinition chat = config.apis().get(0);
        assertThat(chat.name()).isEqualTo("chat");
        assertThat(chat.displayName()).isEqualTo("Chat service");
        assertThat(chat.backendUrl()).isEqualTo(URI.create("wss://chat.internal:8443/ws"));
        assertThat(chat.schemes()).containsExactly(UrlScheme.WSS);
        assertThat(chat.urlSuffix()).isEqualTo("/chat");
        assertThat(chat.products()).containsExactly("gold");
        assertThat(chat.gateways()).containsExactly("edge-1");
        assertThat(chat.limits().maxMessageSize()).isEqualTo(65536);
        assertThat(chat.limits().maxFrameSize()).isEqualTo(16384);
        assertThat(chat.limits().idleTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(chat.limits().handshakeTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.apis().get(1).schemes()).containsExactlyInAnyOrder(UrlScheme.WS, UrlScheme.WSS);
        assertThat(chat.enforceTokenExpiry()).isTrue();
        assertThat(config.apis().get(1).enforceTokenExpiry()).isFalse();
    }

    @Test
    void placesTheEnclosingPoliciesWhereTheBaseMarkersStand() {
        GatewayConfig config = parse(FULL);

        List<ChainStep> steps = config.chains("chat").orElseThrow().forProduct("gold").orElseThrow().steps();

        assertThat(steps).extracting(s -> s.policy().name()).containsExactly(
                "check-origin", "ip-filter", "cors", "rate-limit-by-key", "check-header", "set-header");
        assertThat(steps).filteredOn(s -> s.policy().name().equals("cors")).allMatch(s -> !s.runs());
    }

    @Test
    void loadedPoliciesDecideHandshakesAsTheirBuildersWould() {
        GatewayConfig config = parse(FULL);
        TestChains tester = TestChains.forApi(config.apis().get(0));
        var chain = config.chains("chat").orElseThrow();

        ChainResult noOrigin = tester.run(chain, HandshakeRequest.builder().path("/chat").header("X-Key", "k-gold-1").build());
        ChainResult ok = tester.run(chain, HandshakeRequest.builder().path("/chat").header("X-Key", "k-gold-1")
                .header("Origin", "https://app.example.com").header("X-Client", "web").build());

        assertThat(tester.rejected(noOrigin).rejection().status()).isEqualTo(403);
        assertThat(tester.admitted(ok).backend().headers().first("X-User")).contains("web");
    }

    @Test
    void readsValidateJwtWithInlineKeysJwksIssuersClaimsAndTokenSources() {
        GatewayConfig config = parse("""
                apis:
                  - name: chat
                    backendUrl: ws://chat:80/
                    onHandshake:
                      - validate-jwt:
                          keys:
                            - { algorithm: HS256, secret: "%s", kid: k1 }
                          jwks: { url: "https://login.example.com/jwks.json", cacheTtl: 5m, algorithms: [RS256] }
                          issuers: https://login.example.com/
                          audiences: [chat, admin]
                          requiredClaims: { scope: [chat], tenant: }
                          clockSkew: 10s
                          requireExpiration: false
                          tokenFrom: [authorization-header, { query: access_token }, { cookie: jwt }, { subprotocol: "bearer." },
                                      { subprotocol: "token.", marker: wsgate.bearer }]
                """.formatted(SECRET));

        JwtValidation jwt = (JwtValidation) config.apis().get(0).onHandshake().get(0);
        assertThat(jwt.clockSkew()).isEqualTo(Duration.ofSeconds(10));
        assertThat(jwt.sources()).hasSize(5);
        assertThat(jwt.sources().get(4)).isEqualTo(TokenSource.subprotocol("token.", "wsgate.bearer"));
        assertThat(jwt.jwks()).singleElement().satisfies(k -> assertThat(k.url()).hasToString("https://login.example.com/jwks.json"));
    }

    @Test
    void findsCustomPoliciesThroughServiceLoaderAndWrapsThemAsAuthorizers() {
        GatewayConfig config = parse("""
                apis:
                  - name: chat
                    backendUrl: ws://chat:80/
                    onHandshake:
                      - check-tenant: { tenant: acme }
                      - custom-authorizer: { type: check-tenant, timeout: 2s, options: { tenant: acme } }
                """);
        TestChains tester = TestChains.forApi(config.apis().get(0));

        ChainResult other = tester.run(config.apis().get(0).onHandshake(), HandshakeRequest.builder().header("X-Tenant", "evil").build());
        ChainResult acme = tester.run(config.apis().get(0).onHandshake(), HandshakeRequest.builder().header("X-Tenant", "acme").build());

        assertThat(tester.rejected(other).rejection().code()).isEqualTo("TENANT_FORBIDDEN");
        tester.admitted(acme);
        assertThat(config.apis().get(0).onHandshake()).extracting(p -> p.name()).containsExactly("check-tenant", "check-tenant");
    }

    @Test
    void readsAFileFromDiskAndNamesItInErrors(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("good.yaml"), "apis:\n  - { name: echo, backendUrl: \"ws://e:1/\" }\n");
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "apis:\n  - { name: echo, backendUrl: \"http://e:1/\" }\n");

        assertThat(GatewayFiles.load(good).apis()).extracting(ApiDefinition::name).containsExactly("echo");
        GatewayFileException e = catchThrowableOfType(GatewayFileException.class, () -> GatewayFiles.load(bad));
        assertThat(e.file()).isEqualTo(bad.toString());
        assertThat(e.getMessage()).startsWith(bad + ":2:");
    }

    @Test
    void refusesAnUnknownKeyNamingItsLineAndTheKeysAllowed() {
        GatewayFileException e = failure("""
                apis:
                  - name: chat
                    backendUrl: ws://chat:80/
                    urlSufix: /chat
                """);

        assertThat(e.line()).isEqualTo(4);
        assertThat(e.key()).isEqualTo("apis[0].urlSufix");
        assertThat(e.getMessage()).startsWith("gateway.yaml:4:5: apis[0].urlSufix: unknown key 'urlSufix'").contains("urlSuffix");
    }

    @Test
    void namesAMisspelledRequiredKeyBeforeSayingTheKeyIsMissing() {
        GatewayFileException e = failure("""
                apis:
                  - name: chat
                    backendUrll: ws://chat:80/
                """);

        assertThat(e.line()).isEqualTo(3);
        assertThat(e.key()).isEqualTo("apis[0].backendUrll");
        assertThat(e.problem()).isEqualTo("unknown key 'backendUrll': did you mean 'backendUrl'?");
    }

    @Test
    void namesAMisspelledOptionOfABuiltInPolicyBeforeWhatItsAbsenceCauses() {
        GatewayFileException e = failure("""
                apis:
                  - name: chat
                    backendUrl: ws://chat:80/
                    onHandshake:
                      - ip-filter: { alow: [10.0.0.0/8] }
                """);

        assertThat(e.key()).isEqualTo("apis[0].onHandshake[0].ip-filter.alow");
        assertThat(e.problem()).startsWith("unknown key 'alow': did you mean 'allow'?");
    }

    @Test
    void suggestsTheNearestAllowedKeyForAnUnknownOne() {
        GatewayFileException e = failure("""
                apis:
                  - name: chat
                    backendUrl: ws://chat:80/
                    urlSufix: /chat
                """);

        assertThat(e.problem()).startsWith("unknown key 'urlSufix' (did you mean 'urlSuffix'?); the keys allowed here are [");
    }

    @Test
    void refusesAnUnknownOptionOfABuiltInPolicy() {
        GatewayFileException e = failure("""
                apis:
                  - name: chat
                    backendUrl: ws://chat:80/
                    onHandshake:
                      - check-origin:
                          allow: [https://app.example.com]
                          allowMising: true
                """);

        assertThat(e.line()).isEqualTo(7);
        assertThat(e.key()).isEqualTo("apis[0].onHandshake[0].check-origin.allowMising");
    }

    @Test
    void readsErrorResponseOverridesOfTheGatewayAndOfAnApi() throws Exception {
        GatewayConfig config = parse("""
                gateway:
                  errorResponses:
                    API_NOT_FOUND:
                      status: 410
                      body: "no such room (${requestId})"
                      headers: { Content-Type: text/plain; charset=utf-8 }
                    UNAUTHORIZED:
                      message: Sign in first.
                      headers:
                        WWW-Authenticate: Bearer realm="edge"
                apis:
                  - name: chat
                    backendUrl: ws://chat:80/
                    urlSuffix: /chat
                    errorResponses:
                      UNAUTHORIZED: { status: 403, body: '{"e":"${error}","m":"${message}"}' }
                """);

        ErrorOverride notFound = config.errorResponses().get(GatewayError.API_NOT_FOUND);
        assertThat(notFound.status()).hasValue(410);
        assertThat(notFound.bodyTemplate()).contains("no such room (${requestId})");
        assertThat(notFound.headers().first("Content-Type")).contains("text/plain; charset=utf-8");
        ErrorOverride chat = config.errorResponses("chat").get(GatewayError.UNAUTHORIZED);
        assertThat(chat.status()).hasValue(403);
        assertThat(chat.message()).contains("Sign in first.");
        assertThat(chat.headers().first("WWW-Authenticate")).contains("Bearer realm=\"edge\"");
        assertThat(config.errorResponses().get(GatewayError.UNAUTHORIZED).status()).isEmpty();

        ErrorResponse response = ErrorResponses.with(config.errorResponses()).render(GatewayError.API_NOT_FOUND, "r-7");
        assertThat(response.status()).isEqualTo(410);
        assertThat(new String(response.bodyBytes(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("no such room (r-7)");
    }

    @Test
    void refusesAnUnknownErrorCodeABadStatusAnUnknownKeyAndABadTemplateWhereTheyStand() {
        GatewayFileException code = failure("""
                gateway:
                  errorResponses:
                    UNAUTHORISED: { status: 401 }
                apis: []
                """);
        GatewayFileException status = failure("""
                apis:
                  - name: chat
                    backendUrl: ws://chat:80/
                    errorResponses:
                      RATE_LIMITED:
                        status: 200
                """);
        GatewayFileException key = failure("""
                gateway:
                  errorResponses:
                    RATE_LIMITED: { statuss: 503 }
                apis: []
                """);
        GatewayFileException template = failure("""
                gateway:
                  errorResponses:
                    RATE_LIMITED: { body: "slow down ${user}" }
                apis: []
                """);

        assertThat(code.line()).isEqualTo(3);
        assertThat(code.key()).isEqualTo("gateway.errorResponses.UNAUTHORISED");
        assertThat(code.problem()).contains("not an error code").contains("UNAUTHORIZED");
        assertThat(status.line()).isEqualTo(6);
        assertThat(status.key()).isEqualTo("apis[0].errorResponses.RATE_LIMITED.status");
        assertThat(status.problem()).contains("400 to 599").contains("200");
        assertThat(key.key()).isEqualTo("gateway.errorResponses.RATE_LIMITED.statuss");
        assertThat(key.problem()).contains("status", "message", "headers", "body");
        assertThat(template.key()).isEqualTo("gateway.errorResponses.RATE_LIMITED.body");
        assertThat(template.problem()).contains("${user}");
    }

    @Test
    void refusesErrorResponsesAtTheTopOfTheFileTheyBelongUnderGateway() {
        GatewayFileException e = failure("""
                errorResponses:
                  UNAUTHORIZED: { status: 401 }
                apis: []
                """);

        assertThat(e.line()).isEqualTo(1);
        assertThat(e.key()).isEqualTo("errorResponses");
    }

    @Test
    void refusesAValueOfTheWrongType() {
        GatewayFileException size = failure("""
                apis:
                  - name: chat
                    backendUrl: ws://chat:80/
                    limits: { maxMessageSize: big }
                """);
        GatewayFileException bool = failure("""
                products:
                  - { name: gold, subscriptionRequired: "maybe" }
                apis: []
                """);
        GatewayFileException list = failure("""
                apis:
                  - name: [chat]
                    backendUrl: ws://chat:80/
                """);

        assertThat(size.line()).isEqualTo(4);
        assertThat(size.key()).isEqualTo("apis[0].limits.maxMessageSize");
        assertThat(size.problem()).contains("size in bytes").contains("big");
        assertThat(bool.line()).isEqualTo(2);
        assertThat(bool.key()).isEqualTo("products[0].subscriptionRequired");
        assertThat(list.key()).isEqualTo("apis[0].name");
        assertThat(list.problem()).contains("expected text");
    }

    @Test
    void refusesABadDuration() {
        GatewayFileException e = failure("""
                gateway:
                  policyTimeout: soon
                apis: []
                """);

        assertThat(e.line()).isEqualTo(2);
        assertThat(e.key()).isEqualTo("gateway.policyTimeout");
        assertThat(e.problem()).contains("'soon' is not a duration");
    }

    @Test
    void refusesABadBackendUrl() {
        GatewayFileException scheme = failure("""
                apis:
                  - name: chat
                    backendUrl: http://chat:80/
                """);
        GatewayFileException syntax = failure("""
                apis:
                  - name: chat
                    backendUrl: "ws://chat:80/a b"
                """);

        assertThat(scheme.line()).isEqualTo(3);
        assertThat(scheme.key()).isEqualTo("apis[0].backendUrl");
        assertThat(scheme.problem()).contains("ws:// or wss://");
        assertThat(syntax.key()).isEqualTo("apis[0].backendUrl");
        assertThat(syntax.problem()).contains("not a URI");
    }

    @Test
    void readsAListOfBackendUrlsTriedInOrder() {
        GatewayConfig config = parse("""
                apis:
                  - name: quotes
                    backendUrl:
                      - ws://quotes-a:8080/ws
                      - wss://quotes-b:8443/ws
                  - name: one
                    urlSuffix: /one
                    backendUrl: ws://one:80/
                """);

        assertThat(config.apis().get(0).backendUrls())
                .containsExactly(URI.create("ws://quotes-a:8080/ws"), URI.create("wss://quotes-b:8443/ws"));
        assertThat(config.apis().get(1).failoverUrls()).isEmpty();
    }

    @Test
    void refusesABadUrlInABackendListAtItsItem() {
        GatewayFileException bad = failure("""
                apis:
                  - name: quotes
                    backendUrl:
                      - ws://quotes-a:8080/ws
                      - http://quotes-b:8080/ws
                """);
        GatewayFileException empty = failure("""
                apis:
                  - name: quotes
                    backendUrl: []
                """);

        assertThat(bad.line()).isEqualTo(5);
        assertThat(bad.key()).isEqualTo("apis[0].backendUrl[1]");
        assertThat(bad.problem()).contains("ws:// or wss://");
        assertThat(empty.key()).isEqualTo("apis[0].backendUrl");
        assertThat(empty.problem()).contains("one backend URL");
    }

    @Test
    void refusesABadCidrRange() {
        GatewayFileException e = failure("""
                apis:
                  - name: chat
                    backendUrl: ws://chat:80/
                    policies:
                      - ip-filter:
                          allow:
                            - 10.0.0.0/8
                            - 10.0.0.0/33
                """);

        assertThat(e.line()).isEqualTo(8);
        assertThat(e.key()).isEqualTo("apis[0].policies[0].ip-filter.allow[1]");
        assertThat(e.problem()).contains("10.0.0.0/33");
    }

    @Test
    void refusesABadKey() {
        GatewayFileException shortSecret = failure("""
                apis:
                  - name: chat
                    backendUrl: ws://chat:80/
                    onHandshake:
                      - validate-jwt:
                          keys:
                            - algorithm: HS256
                              secret: too-short
                """);
        GatewayFileException pem = failure("""
                apis:
                  - name: chat
                    backendUrl: ws://chat:80/
                    onHandshake:
                      - validate-jwt:
                          keys:
                            - algorithm: RS256
                              publicKey: "-----BEGIN PUBLIC KEY-----notbase64!-----END PUBLIC KEY-----"
                """);
        GatewayFileException algorithm = failure("""
                apis:
                  - name: chat
                    backendUrl: ws://chat:80/
                    onHandshake:
                      - validate-jwt:
                          keys: [{ algorithm: none, secret: "%s" }]
                """.formatted(SECRET));

        assertThat(shortSecret.line()).isEqualTo(8);
        assertThat(shortSecret.key()).isEqualTo("apis[0].onHandshake[0].validate-jwt.keys[0].secret");
        assertThat(shortSecret.problem()).contains("at least 32 bytes");
        assertThat(pem.key()).isEqualTo("apis[0].onHandshake[0].validate-jwt.keys[0].publicKey");
        assertThat(pem.problem()).contains("not a PEM public key");
        assertThat(algorithm.key()).isEqualTo("apis[0].onHandshake[0].validate-jwt.keys[0].algorithm");
    }

    @Test
    void refusesABadJwksUrlAndAValidateJwtWithoutKeys() {
        GatewayFileException url = failure("""
                apis:
                  - name: chat
                    backendUrl: ws://chat:80/
                    onHandshake:
                      - validate-jwt: { jwks: "ftp://login.example.com/keys" }
                """);
        GatewayFileException none = failure("""
                apis:
                  - name: chat
                    backendUrl: ws://chat:80/
                    onHandshake:
                      - validate-jwt: { issuers: [x] }
                """);

        assertThat(url.key()).isEqualTo("apis[0].onHandshake[0].validate-jwt.jwks");
        assertThat(url.problem()).contains("ftp://login.example.com/keys");
        assertThat(none.line()).isEqualTo(5);
        assertThat(none.problem()).contains("at least one key");
    }

    @Test
    void refusesAPolicyThatCannotApplyToAHandshakeOnAnApi() {
        GatewayFileException e = failure("""
                apis:
                  - name: chat
                    backendUrl: ws://chat:80/
                    onHandshake:
                      - check-origin: { allow: [https://a.example.com] }
                      - cors: {}
                """);

        assertThat(e.line()).isEqualTo(6);
        assertThat(e.key()).isEqualTo("apis[0].onHandshake[1].cors");
        assertThat(e.problem()).contains("cannot apply to a WebSocket handshake").contains("onHandshake");
    }

    @Test
    void refusesTwoBaseMarkersInOneListAndOneInTheGlobalList() {
        GatewayFileException two = failure("""
                apis:
                  - name: chat
                    backendUrl: ws://chat:80/
                    policies: [base, { remove-header: { name: X-Debug } }, base]
                """);
        GatewayFileException global = failure("""
                gateway:
                  policies:
                    - base
                apis: []
                """);

        assertThat(two.key()).isEqualTo("apis[0].policies[2]");
        assertThat(two.problem()).contains("second 'base'");
        assertThat(global.line()).isEqualTo(3);
        assertThat(global.problem()).contains("no enclosing scope");
    }

    @Test
    void refusesAnUnknownPolicyTypeListingTheKnownOnes() {
        GatewayFileException e = failure("""
                apis:
                  - name: chat
                    backendUrl: ws://chat:80/
                    onHandshake:
                      - check-orign: { allow: [https://a.example.com] }
                """);

        assertThat(e.line()).isEqualTo(5);
        assertThat(e.problem()).contains("unknown policy type 'check-orign'").contains("check-origin").contains("check-tenant");
    }

    @Test
    void refusesAnUnknownProductAndAKeySharedByTwoProducts() {
        GatewayFileException product = failure("""
                apis:
                  - name: chat
                    backendUrl: ws://chat:80/
                    products: [gold]
                """);
        GatewayFileException shared = failure("""
                products:
                  - { name: gold, subscriptionKeys: [k1] }
                  - { name: silver, subscriptionKeys: [k2, k1] }
                apis: []
                """);

        assertThat(product.key()).isEqualTo("apis[0].products[0]");
        assertThat(product.problem()).contains("'gold' is not declared");
        assertThat(shared.line()).isEqualTo(3);
        assertThat(shared.key()).isEqualTo("products[1].subscriptionKeys[1]");
    }

    @Test
    void refusesTwoApisWithOneUrlSuffixAndTwoWithOneName() {
        GatewayFileException suffix = failure("""
                apis:
                  - { name: a, backendUrl: "ws://a:1/", urlSuffix: /x }
                  - { name: b, backendUrl: "ws://b:1/", urlSuffix: /x/ }
                """);
        GatewayFileException name = failure("""
                apis:
                  - { name: a, backendUrl: "ws://a:1/", urlSuffix: /x }
                  - { name: a, backendUrl: "ws://b:1/", urlSuffix: /y }
                """);

        assertThat(suffix.line()).isEqualTo(3);
        assertThat(suffix.key()).isEqualTo("apis[1].urlSuffix");
        assertThat(name.key()).isEqualTo("apis[1].name");
    }

    @Test
    void refusesADuplicateKeyAYamlSyntaxErrorAndAnEmptyFile() {
        GatewayFileException duplicate = failure("""
                apis: []
                gateway: { name: a }
                apis: []
                """);
        GatewayFileException syntax = failure("""
                apis:
                  - name: chat
                   backendUrl: [ws://chat:80/
                """);
        GatewayFileException empty = failure("");

        assertThat(duplicate.line()).isEqualTo(3);
        assertThat(duplicate.problem()).contains("given twice");
        assertThat(syntax.problem()).startsWith("not valid YAML");
        assertThat(syntax.line()).isGreaterThan(1);
        assertThat(empty.problem()).contains("empty");
    }

    @Test
    void refusesABadOptionOfACustomPolicyAtItsEntry() {
        GatewayFileException e = failure("""
                apis:
                  - name: chat
                    backendUrl: ws://chat:80/
                    onHandshake:
                      - check-tenant: { tenant: 7 }
                """);

        assertThat(e.line()).isEqualTo(5);
        assertThat(e.key()).isEqualTo("apis[0].onHandshake[0].check-tenant");
        assertThat(e.problem()).contains("check-tenant needs 'tenant'");
    }

    @Test
    void readsReturnResponseAndSetBackendThatDecideAsDeclared() {
        GatewayConfig config = parse("""
                apis:
                  - name: old
                    backendUrl: ws://old:80/
                    urlSuffix: /old
                    onHandshake:
                      - return-response: { status: 503, code: MAINTENANCE, message: Later., headers: { Retry-After: "60" } }
                  - name: geo
                    backendUrl: ws://geo:80/
                    urlSuffix: /geo
                    onHandshake:
                      - set-backend: { choose: "${header.X-Region}", backends: { eu: "ws://eu.geo:80" } }
                """);
        TestChains old = TestChains.forApi(config.apis().get(0));
        TestChains geo = TestChains.forApi(config.apis().get(1));

        var refused = old.rejected(old.run(config.apis().get(0).onHandshake(), HandshakeRequest.builder().path("/old").build()));
        var moved = geo.admitted(geo.run(config.apis().get(1).onHandshake(),
                HandshakeRequest.builder().path("/geo").header("X-Region", "eu").build()));

        assertThat(refused.rejection().status()).isEqualTo(503);
        assertThat(refused.rejection().code()).isEqualTo("MAINTENANCE");
        assertThat(refused.rejection().headers().first("Retry-After")).contains("60");
        assertThat(moved.backend().uri().getHost()).isEqualTo("eu.geo");
    }

    @Test
    void refusesABadOriginABadRateKeyAndAnUnsetSecretVariable() {
        GatewayFileException origin = failure("""
                apis:
                  - name: chat
                    backendUrl: ws://chat:80/
                    onHandshake:
                      - check-origin: { allow: ["app.example.com"] }
                """);
        GatewayFileException key = failure("""
                gateway:
                  connectionLimits: { perKey: 3, key: { cookie: sid } }
                apis: []
                """);
        GatewayFileException env = failure("""
                apis:
                  - name: chat
                    backendUrl: ws://chat:80/
                    onHandshake:
                      - validate-jwt: { keys: [{ algorithm: HS256, secretEnv: WSGATE_TEST_SURELY_UNSET_VARIABLE }] }
                """);

        assertThat(origin.key()).isEqualTo("apis[0].onHandshake[0].check-origin.allow[0]");
        assertThat(origin.problem()).contains("app.example.com");
        assertThat(key.line()).isEqualTo(2);
        assertThat(key.key()).isEqualTo("gateway.connectionLimits.key.cookie");
        assertThat(env.key()).isEqualTo("apis[0].onHandshake[0].validate-jwt.keys[0].secretEnv");
        assertThat(env.problem()).contains("WSGATE_TEST_SURELY_UNSET_VARIABLE");
    }

    @Test
    void refusesAFactoryThatClaimsABuiltInType() {
        PolicyFactory impostor = new PolicyFactory() {
            @Override
            public String type() {
                return "ip-filter";
            }

            @Override
            public io.wsgate.api.HandshakePolicy create(java.util.Map<String, Object> options) {
                throw new UnsupportedOperationException();
            }
        };

        assertThatThrownBy(() -> loader.withFactory(impostor).parse("apis: []", "gateway.yaml"))
                .isInstanceOf(io.wsgate.core.error.ConfigurationException.class).hasMessageContaining("'ip-filter'");
    }

    @Test
    void readsKeepAliveAndMaxLifetimeNextToTheIdleTimeout() {
        GatewayConfig config = parse("""
                apis:
                  - name: chat
                    backendUrl: ws://chat:80/
                    limits:
                      idleTimeout: 10m
                      keepAlive: { interval: 30s, timeout: 10s }
                      maxLifetime: 24h
                  - name: plain
                    backendUrl: ws://plain:80/
                    urlSuffix: /plain
                """);

        ApiLimits chat = config.apis().get(0).limits();
        assertThat(chat.hasKeepAlive()).isTrue();
        assertThat(chat.keepAliveInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(chat.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(chat.maxLifetime()).isEqualTo(Duration.ofHours(24));
        ApiLimits plain = config.apis().get(1).limits();
        assertThat(plain.hasKeepAlive()).as("off by default").isFalse();
        assertThat(plain.hasMaxLifetime()).as("off by default").isFalse();
    }

    @Test
    void refusesAKeepAliveWithoutItsTimeoutNamingTheKey() {
        GatewayFileException e = failure("""
                apis:
                  - name: chat
                    backendUrl: ws://chat:80/
                    limits:
                      keepAlive: { interval: 30s }
                """);

        assertThat(e.key()).isEqualTo("apis[0].limits.keepAlive.timeout");
        assertThat(e.problem()).isEqualTo("is required here");
    }

    @Test
    void refusesAnUnknownKeepAliveKeyAndAZeroLifetime() {
        GatewayFileException unknown = failure("""
                apis:
                  - name: chat
                    backendUrl: ws://chat:80/
                    limits:
                      keepAlive: { interval: 30s, timeout: 10s, pongTimeout: 5s }
                """);
        assertThat(unknown.key()).isEqualTo("apis[0].limits.keepAlive.pongTimeout");
        assertThat(unknown.problem()).startsWith("unknown key 'pongTimeout'");

        GatewayFileException zero = failure("""
                apis:
                  - name: chat
                    backendUrl: ws://chat:80/
                    limits:
                      maxLifetime: 0s
                """);
        assertThat(zero.key()).isEqualTo("apis[0].limits.maxLifetime");
        assertThat(zero.line()).isEqualTo(5);
    }
}
