package io.wsgate.core.internal.handshake;

import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.Headers;
import io.wsgate.core.transport.BackendFailure;
import io.wsgate.core.transport.ErrorResponse;
import io.wsgate.core.error.GatewayError;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorResponsesTest {

    @Test
    void rendersTheJsonBodyWithCodeMessageAndRequestId() {
        ErrorResponse r = ErrorResponses.of(GatewayError.API_NOT_FOUND, "req-1");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("{\"error\":\"API_NOT_FOUND\",\"message\":\"No API matches this path.\",\"requestId\":\"req-1\"}");
        assertThat(r.headers().first("Content-Type")).contains("application/json");
    }

    @Test
    void addsTheHeadersEachStatusRequires() {
        assertThat(ErrorResponses.of(GatewayError.UPGRADE_REQUIRED, "r").headers().first("Upgrade")).contains("websocket");
        assertThat(ErrorResponses.of(GatewayError.UNSUPPORTED_WEBSOCKET_VERSION, "r").headers().first("Sec-WebSocket-Version")).contains("13");
        assertThat(ErrorResponses.of(GatewayError.METHOD_NOT_ALLOWED, "r").headers().first("Allow")).contains("GET");
        assertThat(ErrorResponses.of(HandshakeDecision.reject(401, "UNAUTHORIZED", "no"), "r").headers().contains("WWW-Authenticate")).isTrue();
        assertThat(ErrorResponses.of(HandshakeDecision.reject(429, "RATE_LIMITED", "slow down"), "r").headers().first("Retry-After")).contains("1");
    }

    @Test
    void mapsEveryBackendFailureToItsCode() {
        assertThat(ErrorResponses.of(new BackendFailure.Unreachable(new ConnectException("refused 10.0.0.7:9")), "r"))
                .satisfies(r -> {
                    assertThat(r.status()).isEqualTo(502);
                    assertThat(r.code()).isEqualTo("BACKEND_UNAVAILABLE");
                    assertThat(r.body()).doesNotContain("10.0.0.7");
                });
        assertThat(ErrorResponses.of(new BackendFailure.UnknownHost("internal.example"), "r").code()).isEqualTo("BACKEND_DNS_FAILURE");
        assertThat(ErrorResponses.of(new BackendFailure.UnknownHost("internal.example"), "r").body()).doesNotContain("internal.example");
        assertThat(ErrorResponses.of(new BackendFailure.Timeout(), "r").status()).isEqualTo(504);
        assertThat(ErrorResponses.of(new BackendFailure.InvalidHandshake("bad accept"), "r").status()).isEqualTo(502);
    }

    @Test
    void passesTheBackendsStatusAndOnlyItsSafeHeaders() {
        Headers backend = Headers.of("WWW-Authenticate", "Bearer", "Retry-After", "7", "Server", "internal-9", "Set-Cookie", "x=1");
        ErrorResponse r = ErrorResponses.of(new BackendFailure.Refused(403, backend, "secret detail"), "r");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.headers().first("WWW-Authenticate")).contains("Bearer");
        assertThat(r.headers().first("Retry-After")).contains("7");
        assertThat(r.headers().names()).doesNotContain("server", "set-cookie");
        assertThat(r.body()).doesNotContain("secret");
        assertThat(ErrorResponses.of(new BackendFailure.Refused(200, Headers.empty(), ""), "r").status()).isEqualTo(502);
    }

    @Test
    void escapesJson() {
        assertThat(ErrorResponses.json("a\"b\\c\n\u0001")).isEqualTo("a\\\"b\\\\c\\n\\u0001");
    }
}
