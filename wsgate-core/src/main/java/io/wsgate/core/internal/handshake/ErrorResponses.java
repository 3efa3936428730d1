package io.wsgate.core.internal.handshake;

import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.Headers;
import io.wsgate.core.error.ErrorOverride;
import io.wsgate.core.error.GatewayError;
import io.wsgate.core.transport.BackendFailure;
import io.wsgate.core.transport.ErrorResponse;
import io.wsgate.core.transport.HandshakeRules;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Renders the responses of refused handshakes: the small JSON body
 * {@code {"error":"<CODE>","message":"...","requestId":"..."}} and the headers each status
 * requires (426 {@code Upgrade}, 405 {@code Allow}, 401 {@code WWW-Authenticate}, 429
 * {@code Retry-After}). Never a stack trace, an internal host name or a backend address.
 *
 * <p>An instance renders with the overrides of one gateway or one API ({@link ErrorOverride}, matched by error
 * code, so a policy's rejection with a table entry's code is overridden too); the static methods render the
 * defaults.
 */
public final class ErrorResponses {

    /** The defaults, no override. */
    public static final ErrorResponses DEFAULTS = new ErrorResponses(Map.of());

    private static final String JSON = "application/json";
    private static final String HTML = "text/html; charset=utf-8";
    private static final String TEXT = "text/plain; charset=utf-8";

    private final Map<String, ErrorOverride> overrides;

    private ErrorResponses(Map<String, ErrorOverride> overrides) {
        this.overrides = overrides;
    }

    /**
     * @param overrides the overrides by entry
     * @return a renderer that applies them
     */
    public static ErrorResponses with(Map<GatewayError, ErrorOverride> overrides) {
        if (overrides.isEmpty()) {
            return DEFAULTS;
        }
        Map<String, ErrorOverride> byCode = new HashMap<>();
        overrides.forEach((e, o) -> byCode.put(e.code(), Objects.requireNonNull(o, "override")));
        return new ErrorResponses(Map.copyOf(byCode));
    }

    /**
     * @param error     the gateway's error
     * @param requestId the handshake's id
     * @return its response with the default status and message
     */
    public static ErrorResponse of(GatewayError error, String requestId) {
        return DEFAULTS.render(error, requestId);
    }

    /**
     * @param reject    a policy's rejection
     * @param requestId the handshake's id
     * @return its response
     */
    public static ErrorResponse of(HandshakeDecision.Reject reject, String requestId) {
        return DEFAULTS.render(reject, requestId);
    }

    /**
     * @param failure   why the backend handshake failed
     * @param requestId the handshake's id
     * @return the response for the client
     */
    public static ErrorResponse of(BackendFailure failure, String requestId) {
        return DEFAULTS.render(failure, requestId);
    }

    /**
     * @param error     the gateway's error
     * @param requestId the handshake's id
     * @return its response, overridden if this renderer says so
     */
    public ErrorResponse render(GatewayError error, String requestId) {
        return render(error, Headers.empty(), requestId);
    }

    /**
     * @param error     the gateway's error
     * @param headers   headers the response carries (an override's headers replace them)
     * @param requestId the handshake's id
     * @return its response, overridden if this renderer says so
     */
    public ErrorResponse render(GatewayError error, Headers headers, String requestId) {
        return build(error.status(), error.code(), error.message(), headers, "", requestId);
    }

    /**
     * @param reject    a policy's rejection
     * @param requestId the handshake's id
     * @return its response, overridden if this renderer has an override for its code
     */
    public ErrorResponse render(HandshakeDecision.Reject reject, String requestId) {
        return build(reject.status(), reject.code(), reject.message(), reject.headers(), reject.body(), requestId);
    }

    /**
     * @param failure   why the backend handshake failed
     * @param requestId the handshake's id
     * @return the response for the client, overridden if this renderer says so
     */
    public ErrorResponse render(BackendFailure failure, String requestId) {
        if (failure instanceof BackendFailure.Refused refused) {
            int status = refused.status() >= 400 && refused.status() <= 599 ? refused.status() : GatewayError.BACKEND_REJECTED.status();
            Headers.Builder headers = Headers.builder();
            for (Headers.Field f : refused.headers().fields()) {
                if (HandshakeRules.isSafeBackendHeader(f.name())) {
                    headers.add(f.name(), f.value());
                }
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
        return render(error, requestId);
    }

    private ErrorResponse build(int status, String code, String message, Headers extra, String literalBody,
                                String requestId) {
        ErrorOverride override = overrides.get(code);
        if (override != null) {
            status = override.status().orElse(status);
            message = override.message().orElse(message);
        }
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
        if (override != null && override.bodyTemplate().isPresent()) {
            String template = override.bodyTemplate().get();
            String type = override.headers().first("Content-Type").orElse(extra.first("Content-Type")
                    .orElse(template.trim().startsWith("{") ? JSON : template.trim().startsWith("<") ? HTML : TEXT));
            headers.set("Content-Type", type);
            String lower = type.toLowerCase(Locale.ROOT);
            UnaryOperator<String> escape = lower.contains("json") ? ErrorResponses::json
                    : lower.contains("html") ? ErrorResponses::html : v -> v;
            body = template.replace("${requestId}", escape.apply(requestId)).replace("${error}", escape.apply(code))
                    .replace("${message}", escape.apply(message));
        } else if (literalBody.isEmpty()) {
            body = "{\"error\":\"" + json(code) + "\",\"message\":\"" + json(message) + "\",\"requestId\":\""
                    + json(requestId) + "\"}";
            headers.set("Content-Type", JSON);
        } else {
            body = literalBody;
            if (!extra.contains("Content-Type")) {
                headers.set("Content-Type", literalBody.trim().startsWith("{") ? JSON : TEXT);
            }
        }
        headers.set("Cache-Control", "no-store");
        if (override != null) {
            override.headers().forEach(headers::set);
        }
        return new ErrorResponse(status, code, headers.build(), body);
    }

    /**
     * @param s any text
     * @return it escaped for HTML text and attribute values
     */
    static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
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
