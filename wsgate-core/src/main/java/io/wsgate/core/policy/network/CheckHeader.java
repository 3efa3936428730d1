package io.wsgate.core.policy.network;

import io.wsgate.api.HandshakeContext;
import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.api.Headers;
import io.wsgate.core.error.GatewayError;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The check-header policy: a header must be present and, when values are given, hold one of them; otherwise
 * the handshake is refused with {@code HEADER_FORBIDDEN} and the configured status (403 by default, or 401).
 *
 * <pre>{@code
 * HandshakePolicy tenant = CheckHeader.builder("X-Tenant").values("a", "b").status(401).build();
 * }</pre>
 */
public final class CheckHeader implements HandshakePolicy {

    private final String header;
    private final Set<String> values;
    private final boolean ignoreCase;
    private final int status;

    private CheckHeader(Builder b) {
        this.header = b.header;
        this.ignoreCase = b.ignoreCase;
        Set<String> v = new LinkedHashSet<>();
        for (String s : b.values) {
            v.add(ignoreCase ? s.toLowerCase(Locale.ROOT) : s);
        }
        this.values = Set.copyOf(v);
        this.status = b.status;
    }

    /**
     * @param header the header's name
     * @return a builder; without values the header must only be present
     */
    public static Builder builder(String header) {
        return new Builder(header);
    }

    @Override
    public String name() {
        return "check-header";
    }

    @Override
    public CompletionStage<HandshakeDecision> evaluate(HandshakeContext context) {
        var all = context.request().headers().all(header);
        boolean ok = !all.isEmpty() && (values.isEmpty()
                || all.stream().anyMatch(v -> values.contains(ignoreCase ? v.trim().toLowerCase(Locale.ROOT) : v.trim())));
        return CompletableFuture.completedFuture(ok ? HandshakeDecision.proceed()
                : HandshakeDecision.reject(status, GatewayError.HEADER_FORBIDDEN.code(),
                "Header " + header + " is missing or not allowed."));
    }

    @Override
    public String toString() {
        return "CheckHeader[" + header + ", " + values.size() + " values, status=" + status + "]";
    }

    /** Builds a {@link CheckHeader}; not thread-safe. */
    public static final class Builder {
        private final String header;
        private final Set<String> values = new LinkedHashSet<>();
        private boolean ignoreCase;
        private int status = 403;

        private Builder(String header) {
            new Headers.Field(header, "");
            this.header = header;
        }

        /** Adds accepted values (trimmed, compared exactly unless {@link #ignoreCase(boolean)}). */
        public Builder values(String... values) {
            for (String v : values) {
                this.values.add(Objects.requireNonNull(v, "value").trim());
            }
            return this;
        }

        /** Sets whether values compare case-insensitively (default false). */
        public Builder ignoreCase(boolean ignoreCase) {
            this.ignoreCase = ignoreCase;
            return this;
        }

        /** Sets the refusal's status: 401 or 403 (default 403). */
        public Builder status(int status) {
            if (status != 401 && status != 403) {
                throw new IllegalArgumentException("check-header refuses with 401 or 403, got " + status);
            }
            this.status = status;
            return this;
        }

        /** @return the policy */
        public CheckHeader build() {
            return new CheckHeader(this);
        }
    }
}
