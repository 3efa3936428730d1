package io.wsgate.core.error;

import io.wsgate.api.Headers;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A change to one entry of the gateway's error table ({@link GatewayError}): another status, another message,
 * headers to set, or a body template. Given per gateway
 * ({@link io.wsgate.core.GatewayConfig.Builder#errorResponse(GatewayError, ErrorOverride)}) and per API
 * ({@link io.wsgate.core.GatewayConfig.Builder#errorResponse(String, GatewayError, ErrorOverride)}); what an API's
 * override leaves unset comes from the gateway's. A policy's rejection with an entry's code (for
 * instance validate-jwt's {@code UNAUTHORIZED}) is overridden too.
 *
 * <p>The body template may use {@code ${requestId}}, {@code ${error}} (the code) and {@code ${message}}; their
 * values are escaped for JSON when the body is JSON (its {@code Content-Type}, or a template starting with
 * <code>{</code>) and for HTML when it is HTML. Headers the status requires ({@code WWW-Authenticate} on 401,
 * {@code Retry-After} on 429, {@code Upgrade} on 426, {@code Allow} on 405) are still added unless set here.
 *
 * <pre>{@code
 * ErrorOverride unauthorized = ErrorOverride.builder()
 *         .header("WWW-Authenticate", "Bearer realm=\"chat\", error=\"invalid_token\"")
 *         .body("{\"code\":\"${error}\",\"detail\":\"${message}\",\"trace\":\"${requestId}\"}")
 *         .build();
 * }</pre>
 */
public final class ErrorOverride {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    private static final Set<String> NAMES = Set.of("requestId", "error", "message");

    private final int status;
    private final String message;
    private final Headers headers;
    private final String body;

    private ErrorOverride(Builder b) {
        this.status = b.status;
        this.message = b.message;
        this.headers = b.headers.build();
        this.body = b.body;
    }

    /** @return a builder that changes nothing until told */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this override's values */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.status = status;
        b.message = message;
        b.headers = headers.toBuilder();
        b.body = body;
        return b;
    }

    /** @return the status that replaces the entry's, if any */
    public OptionalInt status() {
        return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
    }

    /** @return the message that replaces the entry's, if any */
    public Optional<String> message() {
        return Optional.ofNullable(message);
    }

    /** @return headers set on the response, replacing any of the same name */
    public Headers headers() {
        return headers;
    }

    /** @return the body template that replaces the default JSON body, if any */
    public Optional<String> bodyTemplate() {
        return Optional.ofNullable(body);
    }

    /**
     * @param inner a more specific override (an API's)
     * @return the inner override's values, and this one's where the inner one sets none; headers of both, the
     *         inner one's winning
     */
    public ErrorOverride overriddenBy(ErrorOverride inner) {
        Objects.requireNonNull(inner, "inner");
        Builder b = toBuilder();
        if (inner.status != 0) {
            b.status = inner.status;
        }
        if (inner.message != null) {
            b.message = inner.message;
        }
        if (inner.body != null) {
            b.body = inner.body;
        }
        inner.headers.forEach(b.headers::set);
        return b.build();
    }

    @Override
    public String toString() {
        return "ErrorOverride[status=" + (status == 0 ? "-" : status) + ", message=" + (message != null)
                + ", headers=" + headers.names() + ", body=" + (body != null) + "]";
    }

    /** Builds an {@link ErrorOverride}; not thread-safe. */
    public static final class Builder {
        private int status;
        private String message;
        private Headers.Builder headers = Headers.builder();
        private String body;

        private Builder() {
        }

        /**
         * Sets the status (400 to 599).
         *
         * @throws IllegalArgumentException naming the status when it is out of range
         */
        public Builder status(int status) {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("an error response's status must be 400 to 599, got " + status);
            }
            this.status = status;
            return this;
        }

        /** Sets the message shown to the client ({@code ${message}}, and in the default JSON body). */
        public Builder message(String message) {
            this.message = Objects.requireNonNull(message, "message");
            return this;
        }

        /**
         * Sets a response header, replacing any of that name (the gateway's own included).
         *
         * @throws IllegalArgumentException when the name is empty or the name or value holds a line break
         */
        public Builder header(String name, String value) {
            headers.set(name, value);
            return this;
        }

        /**
         * Sets the body template.
         *
         * @param template the body, with {@code ${requestId}}, {@code ${error}} and {@code ${message}} where those go
         * @throws IllegalArgumentException naming any other placeholder, or an unclosed one
         */
        public Builder body(String template) {
            Objects.requireNonNull(template, "body");
            Matcher m = PLACEHOLDER.matcher(template);
            while (m.find()) {
                if (!NAMES.contains(m.group(1))) {
                    throw new IllegalArgumentException("error body template '" + template + "' uses ${" + m.group(1)
                            + "}: only ${requestId}, ${error} and ${message} are known");
                }
            }
            if (PLACEHOLDER.matcher(template).replaceAll("").contains("${")) {
                throw new IllegalArgumentException("error body template '" + template + "' has an unclosed '${'");
            }
            this.body = template;
            return this;
        }

        /** @return the override */
        public ErrorOverride build() {
            return new ErrorOverride(this);
        }
    }
}
