package io.wsgate.jetty;

import io.wsgate.core.GatewayConfig;
import io.wsgate.core.error.ErrorOverride;
import io.wsgate.core.error.GatewayError;
import io.wsgate.core.policy.jwt.JwtAlgorithm;
import io.wsgate.core.policy.jwt.JwtKey;
import io.wsgate.core.policy.jwt.JwtValidation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Error responses overridden per gateway and per API, as a real client reads them off the wire. */
@ParameterizedClass(name = "{0}")
@EnumSource(Mount.class)
class ErrorOverridesEndToEndTest extends PolicyTestBase {

    ErrorOverridesEndToEndTest(Mount mount) {
        super(mount);
    }

    @Test
    void gatewayAndApiOverridesShapeWhatTheClientReceives() throws Exception {
        JwtValidation jwt = JwtValidation.builder().key(JwtKey.hmac(JwtAlgorithm.HS256, SECRET)).build();
        startGateway(GatewayConfig.builder()
                .api(api("chat", "/chat", "/backend").onHandshake(jwt).build(),
                        api("feed", "/feed", "/backend").onHandshake(jwt).build(),
                        api("refusing", "/refusing", "/status/403").build())
                .errorResponse(GatewayError.API_NOT_FOUND, ErrorOverride.builder().header("X-Docs", "https://docs.test/")
                        .body("<h1>${message}</h1><p>${requestId}</p>").build())
                .errorResponse(GatewayError.UNAUTHORIZED, ErrorOverride.builder().message("Sign in first.").build())
                .errorResponse("chat", GatewayError.UNAUTHORIZED, ErrorOverride.builder()
                        .header("WWW-Authenticate", "Bearer realm=\"chat\", error=\"invalid_token\"")
                        .body("{\"code\":\"${error}\",\"detail\":\"${message}\",\"id\":\"${requestId}\"}").build())
                .errorResponse("refusing", GatewayError.BACKEND_REJECTED, ErrorOverride.builder().status(502).build())
                .build());

        RawResponse notFound = raw(upgradeRequest("/nowhere"));
        RawResponse chat = raw(upgradeRequest("/chat", "Authorization: Bearer not-a-token"));
        RawResponse feed = raw(upgradeRequest("/feed"));
        RawResponse refusing = raw(upgradeRequest("/refusing"));

        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.header("X-Docs")).isEqualTo("https://docs.test/");
        assertThat(notFound.header("Content-Type")).startsWith("text/html");
        assertThat(notFound.body()).matches("<h1>No API matches this path\\.</h1><p>[^<]+</p>");
        assertThat(chat.status()).isEqualTo(401);
        assertThat(chat.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"chat\", error=\"invalid_token\"");
        assertThat(chat.body()).matches("\\{\"code\":\"UNAUTHORIZED\",\"detail\":\"Sign in first\\.\",\"id\":\"[^\"]+\"}");
        assertThat(feed.status()).isEqualTo(401);
        assertThat(feed.header("WWW-Authenticate")).isEqualTo(JwtValidation.CHALLENGE);
        assertThat(feed.body()).contains("\"error\":\"UNAUTHORIZED\"").contains("\"message\":\"Sign in first.\"");
        assertThat(refusing.status()).as("the backend said 403; the API's override says 502").isEqualTo(502);
        assertThat(refusing.body()).contains("BACKEND_REJECTED").doesNotContain("nope");
    }
}
