package io.wsgate.core;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.error.ConfigurationException;
import io.wsgate.core.error.ErrorOverride;
import io.wsgate.core.error.GatewayError;
import io.wsgate.core.transport.Admission;
import io.wsgate.core.transport.BackendFailure;
import io.wsgate.core.transport.ErrorResponse;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Gateway error responses overridden per gateway and per API: status, message, headers, body template. */
class ErrorOverridesTest {

    private static final HandshakePolicy UNAUTHORIZED = HandshakePolicy.of("jwt", ctx -> GatewayError.UNAUTHORIZED.reject()
            .withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\""));

    private static HandshakeRequest upgrade(String path) {
        return HandshakeRequest.builder().path(path)
                .header("Upgrade", "websocket").header("Connection", "Upgrade")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").build();
    }

    private static ApiDefinition api(String name, HandshakePolicy... policies) {
        return ApiDefinition.builder(name).backend("ws://127.0.0.1:9/").urlSuffix("/" + name).onHandshake(policies).build();
    }

    private static ErrorResponse refusal(Gateway gateway, String path) throws Exception {
        Exchange exchange = gateway.exchange(upgrade(path), path);
        var invalid = exchange.validate();
        if (invalid.isPresent()) {
            return invalid.get();
        }
        Admission admission = exchange.admit().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(admission).isInstanceOf(Admission.Refused.class);
        return ((Admission.Refused) admission).response();
    }

    @Test
    void aGatewayOverrideChangesStatusHeadersAndBodyOfAnEntry() throws Exception {
        Gateway gateway = Gateway.create(GatewayConfig.builder().api(api("chat"))
                .errorResponse(GatewayError.API_NOT_FOUND, ErrorOverride.builder().status(410).header("X-Help", "https://docs.test/")
                        .body("No room here (${error}, request ${requestId}): ${message}").build()).build());
        Exchange exchange = gateway.exchange(upgrade("/nowhere"), "/nowhere");

        ErrorResponse r = exchange.validate().orElseThrow();

        assertThat(r.status()).isEqualTo(410);
        assertThat(r.code()).isEqualTo("API_NOT_FOUND");
        assertThat(r.body()).isEqualTo("No room here (API_NOT_FOUND, request " + exchange.requestId() + "): "
                + GatewayError.API_NOT_FOUND.message());
        assertThat(r.headers().first("X-Help")).contains("https://docs.test/");
        assertThat(r.headers().first("Content-Type")).contains("text/plain; charset=utf-8");
        assertThat(r.headers().first("Cache-Control")).contains("no-store");
    }

    @Test
    void anApiOverrideAppliesToAPolicysRejectionWithTheEntrysCodeAndOnlyOnThatApi() throws Exception {
        Gateway gateway = Gateway.create(GatewayConfig.builder().api(api("chat", UNAUTHORIZED), api("feed", UNAUTHORIZED))
                .errorResponse("chat", GatewayError.UNAUTHORIZED, ErrorOverride.builder()
                        .header("WWW-Authenticate", "Bearer realm=\"chat\", error=\"invalid_token\"")
                        .message("Log in \"again\".")
                        .body("{\"code\":\"${error}\",\"detail\":\"${message}\",\"trace\":\"${requestId}\"}").build())
                .build());

        ErrorResponse chat = refusal(gateway, "/chat");
        ErrorResponse feed = refusal(gateway, "/feed");

        assertThat(chat.status()).isEqualTo(401);
        assertThat(chat.headers().all("WWW-Authenticate")).containsExactly("Bearer realm=\"chat\", error=\"invalid_token\"");
        assertThat(chat.headers().first("Content-Type")).contains("application/json");
        assertThat(chat.body()).startsWith("{\"code\":\"UNAUTHORIZED\",\"detail\":\"Log in \\\"again\\\".\",\"trace\":\"");
        assertThat(feed.body()).startsWith("{\"error\":\"UNAUTHORIZED\"");
        assertThat(feed.headers().all("WWW-Authenticate")).containsExactly("Bearer error=\"invalid_token\"");
    }

    @Test
    void whatAnApiOverrideLeavesUnsetComesFromTheGatewaysOverride() throws Exception {
        HandshakePolicy slow = HandshakePolicy.of("rate", ctx -> GatewayError.RATE_LIMITED.reject().withHeader("Retry-After", "30"));
        GatewayConfig config = GatewayConfig.builder().api(api("chat", slow), api("feed", slow))
                .errorResponse(GatewayError.RATE_LIMITED, ErrorOverride.builder().header("X-Gateway", "edge-1")
                        .body("<p>${message}</p>").message("Slow <down> & retry").build())
                .errorResponse("chat", GatewayError.RATE_LIMITED, ErrorOverride.builder().status(503).header("X-Api", "chat").build())
                .build();
        Gateway gateway = Gateway.create(config);

        ErrorResponse chat = refusal(gateway, "/chat");
        ErrorResponse feed = refusal(gateway, "/feed");

        assertThat(chat.status()).isEqualTo(503);
        assertThat(chat.headers().first("Retry-After")).as("the policy's own header").contains("30");
        assertThat(chat.headers().first("X-Gateway")).contains("edge-1");
        assertThat(chat.headers().first("X-Api")).contains("chat");
        assertThat(chat.headers().first("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(chat.body()).isEqualTo("<p>Slow &lt;down&gt; &amp; retry</p>");
        assertThat(feed.status()).isEqualTo(429);
        assertThat(feed.headers().contains("X-Api")).isFalse();
        assertThat(config.errorResponses("chat").get(GatewayError.RATE_LIMITED).status()).hasValue(503);
        assertThat(config.errorResponses("feed")).isEqualTo(config.errorResponses());
    }

    @Test
    void policyErrorsAndBackendFailuresAreOverriddenToo() throws Exception {
        HandshakePolicy boom = HandshakePolicy.of("boom", ctx -> {
            throw new IllegalStateException("secret");
        });
        Gateway gateway = Gateway.create(GatewayConfig.builder().api(api("boom", boom), api("chat"))
                .errorResponse(GatewayError.POLICY_ERROR, ErrorOverride.builder().status(503).message("Try again.").build())
                .errorResponse("chat", GatewayError.BACKEND_UNAVAILABLE, ErrorOverride.builder().status(503)
                        .header("Retry-After", "5").build())
                .build());

        ErrorResponse policy = refusal(gateway, "/boom");
        Exchange exchange = gateway.exchange(upgrade("/chat"), "/chat");
        assertThat(exchange.validate()).isEmpty();
        exchange.admit().toCompletableFuture().get(5, TimeUnit.SECONDS);
        ErrorResponse backend = exchange.backendFailed(new BackendFailure.Unreachable(new ConnectException("10.0.0.7:80")));

        assertThat(policy.status()).isEqualTo(503);
        assertThat(policy.body()).contains("\"message\":\"Try again.\"").doesNotContain("secret");
        assertThat(backend.status()).isEqualTo(503);
        assertThat(backend.headers().first("Retry-After")).contains("5");
        assertThat(backend.body()).contains("BACKEND_UNAVAILABLE").doesNotContain("10.0.0.7");
        assertThat(gateway.pendingHandshakes()).isZero();
    }

    @Test
    void overridesSurviveToBuilderAndReconfiguration() throws Exception {
        GatewayConfig config = GatewayConfig.builder().api(api("chat"))
                .errorResponse(GatewayError.API_NOT_FOUND, ErrorOverride.builder().status(400).build())
                .errorResponse("chat", GatewayError.UNAUTHORIZED, ErrorOverride.builder().status(403).build()).build();
        GatewayConfig copy = config.toBuilder().build();
        Gateway gateway = Gateway.create(GatewayConfig.builder().api(api("chat")).build());

        gateway.reconfigure(copy);

        assertThat(copy.errorResponses()).isEqualTo(config.errorResponses());
        assertThat(copy.errorResponses("chat").get(GatewayError.UNAUTHORIZED).status()).hasValue(403);
        assertThat(refusal(gateway, "/nowhere").status()).isEqualTo(400);
    }

    @Test
    void anOverrideForAnUndeclaredApiFailsConfigurationNamingIt() {
        GatewayConfig.Builder b = GatewayConfig.builder().api(api("chat"))
                .errorResponse("chta", GatewayError.UNAUTHORIZED, ErrorOverride.builder().status(403).build());

        assertThatThrownBy(b::build).isInstanceOf(ConfigurationException.class).hasMessageContaining("chta")
                .hasMessageContaining("chat");
    }

    @Test
    void aTemplateWithAnUnknownOrUnclosedPlaceholderOrABadStatusIsRefused() {
        assertThatThrownBy(() -> ErrorOverride.builder().body("${requestId} ${host}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("${host}");
        assertThatThrownBy(() -> ErrorOverride.builder().body("oops ${message"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unclosed");
        assertThatThrownBy(() -> ErrorOverride.builder().status(302))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("302");
        assertThatThrownBy(() -> ErrorOverride.builder().header("X-Bad", "a\r\nSet-Cookie: x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEmptyOverrideChangesNothing() throws Exception {
        Gateway plain = Gateway.create(GatewayConfig.builder().api(api("chat", UNAUTHORIZED)).build());
        Gateway overridden = Gateway.create(GatewayConfig.builder().api(api("chat", UNAUTHORIZED))
                .errorResponse(GatewayError.UNAUTHORIZED, ErrorOverride.builder().build()).build());

        ErrorResponse a = refusal(plain, "/chat");
        ErrorResponse b = refusal(overridden, "/chat");

        assertThat(b.status()).isEqualTo(a.status());
        assertThat(b.headers()).isEqualTo(a.headers());
        assertThat(b.body().replaceAll("\"requestId\":\"[^\"]*\"", "")).isEqualTo(a.body().replaceAll("\"requestId\":\"[^\"]*\"", ""));
    }

    @Test
    void aPolicysRejectionWithItsOwnCodeIsNotTouched() throws Exception {
        Gateway gateway = Gateway.create(GatewayConfig.builder()
                .api(api("chat", HandshakePolicy.of("closed", ctx -> HandshakeDecision.reject(403, "CLOSED", "Closed."))))
                .errorResponse(GatewayError.HEADER_FORBIDDEN, ErrorOverride.builder().status(400).build()).build());

        assertThat(refusal(gateway, "/chat").status()).isEqualTo(403);
    }
}
