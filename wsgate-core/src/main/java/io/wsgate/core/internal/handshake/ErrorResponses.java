package io.wsgate.core.internal.handshake;

import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.Headers;
import io.wsgate.core.BackendFailure;
import io.wsgate.core.ErrorResponse;
import io.wsgate.core.GatewayError;

import java.util.Locale;

/**
 * Renders the responses of refused handshakes: the small JSON body
 * {@code {"error":"<CODE>","message":"...","requestId":"..."}} and the headers each status
 * requires (426 {@code Upgrade}, 405 {@code Allow}, 401 {@code WWW-Authenticate}, 429
 * {@code Retry-After}). Never a stack trace, an internal host name or a backend address.
 */
public final class ErrorResponses {

    private static final String JSON = "application/json";
    /** Backend response headers safe to pass to the client when the backend refuses the upgrade. */
    private static final String[] SAFE_BACKEND_HEADERS = {"WWW-Authenticate", "Retry-After"};

    private ErrorResponses() {
    }

    /**
     * @param error     the gateway's error
     * @param requestId the handshake's id
     * @return its response with the default status and message
     */
    public static ErrorResponse of(GatewayError error, String requestId) {
        return build(error.status(), error.code(), error.message(), Headers.empty(), "", requestId);
    }

    /**
     * @param reject    a policy's rejection
     * @param requestId the handshake's id
     * @return its response
     */
    public static ErrorResponse of(HandshakeDecision.Reject reject, String requestId) {
        return build(reject.status(), reject.code(), reject.message(), reject.headers(), reject.body(), requestId);
    }

    /**
     * @param failure   why the backend handshake failed
     * @param requestId the handshake's id
     * @return the response for the client
     */
    public static ErrorResponse of(BackendFailure failure, String requestId) {
        if (failure instanceof BackendFailure.Refused refused) {
            int status = refused.status() >= 400 && refused.status() <= 599 ? refused.status() : GatewayError.BACKEND_REJECTED.status();
            Headers.Builder headers = Headers.builder();
            for (String name : SAFE_BACKEND_HEADERS) {
                refused.headers().all(name).forEach(v -> headers.add(name, v));
            }
            return build(status, GatewayError.BACKEND_REJECTED.code(), GatewayError.BACKEND_REJECTED.message(),
                    headers.build(), "", requestId);
        }
        GatewayError error;
        if (failure instanceof BackendFailure.UnknownHost) {
            error = GatewayError.BACKEND_DNS_FAILURE;
        } else if (failure instanceof BackendFailure.Timeout) {
            error = GatewayError.BACKEND_TIMEOUT;
        } else if (failure instanceof BackendFailure.InvalidHandshake) {
            error = GatewayError.BACKEND_HANDSHAKE_INVALID;
        } else {
            error = GatewayError.BACKEND_UNAVAILABLE;
        }
        return of(error, requestId);
    }

    private static ErrorResponse build(int status, String code, String message, Headers extra, String literalBody,
                                       String requestId) {
        Headers.Builder headers = extra.toBuilder();
        switch (status) {
            case 426 -> {
                headers.set("Upgrade", "websocket");
                headers.set("Connection", "Upgrade");
                if (code.equals(GatewayError.UNSUPPORTED_WEBSOCKET_VERSION.code())) {
                    headers.set("Sec-WebSocket-Version", "13");
                }
            }
            case 405 -> headers.set("Allow", "GET");
            case 401 -> {
                if (!extra.contains("WWW-Authenticate")) {
                    headers.add("WWW-Authenticate", "Bearer realm=\"wsgate\"");
                }
            }
            case 429, 503 -> {
                if (!extra.contains("Retry-After") && status == 429) {
                    headers.add("Retry-After", "1");
                }
            }
            default -> {
            }
        }
        String body;
        if (literalBody.isEmpty()) {
            body = "{\"error\":\"" + json(code) + "\",\"message\":\"" + json(message) + "\",\"requestId\":\""
                    + json(requestId) + "\"}";
            headers.set("Content-Type", JSON);
        } else {
            body = literalBody;
            if (!extra.contains("Content-Type")) {
                headers.set("Content-Type", literalBody.trim().startsWith("{") ? JSON : "text/plain; charset=utf-8");
            }
        }
        headers.set("Cache-Control", "no-store");
        return new ErrorResponse(status, code, headers.build(), body);
    }

    /**
     * @param s any text
     * @return it escaped for a JSON string literal
     */
    public static String json(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '"' -> "\\\"";
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> c < 0x20 ? String.format(Locale.ROOT, "\\u%04x", (int) c) : null;
            };
            if (rep != null) {
                if (out == null) {
                    out = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                out.append(rep);
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }
}
