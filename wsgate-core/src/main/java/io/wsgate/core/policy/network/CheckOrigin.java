package io.wsgate.core.policy.network;

import io.wsgate.api.HandshakeContext;
import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.core.error.GatewayError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The check-origin policy, the defence against cross-site WebSocket hijacking: the {@code Origin} header
 * must match an allowed origin, exactly ({@code https://app.example.com}) or by subdomain
 * ({@code https://*.example.com}, which matches {@code https://a.example.com} but not {@code https://example.com});
 * otherwise 403 {@code ORIGIN_FORBIDDEN}. A request without {@code Origin} (not a browser) is refused unless
 * {@link Builder#allowMissing(boolean)}.
 */
public final class CheckOrigin implements HandshakePolicy {

    private static final Logger LOG = LoggerFactory.getLogger(CheckOrigin.class);

    private final List<Allowed> allowed;
    private final boolean allowMissing;

    private CheckOrigin(Builder b) {
        this.allowed = List.copyOf(b.allowed);
        this.allowMissing = b.allowMissing;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param origins allowed origins, exact or {@code scheme://*.domain}
     * @return the policy, refusing requests without {@code Origin}
     */
    public static CheckOrigin of(String... origins) {
        return builder().allow(origins).build();
    }

    @Override
    public String name() {
        return "check-origin";
    }

    @Override
    public CompletionStage<HandshakeDecision> evaluate(HandshakeContext context) {
        List<String> origins = context.request().headers().all("Origin");
        boolean ok;
        if (origins.isEmpty()) {
            ok = allowMissing;
        } else {
            Allowed o = origins.size() == 1 ? parse(origins.get(0)) : null;
            ok = o != null && allowed.stream().anyMatch(a -> a.matches(o));
        }
        if (!ok) {
            LOG.debug("request {}: check-origin refused the origin", context.requestId());
            return CompletableFuture.completedFuture(GatewayError.ORIGIN_FORBIDDEN.reject());
        }
        return CompletableFuture.completedFuture(HandshakeDecision.proceed());
    }

    private static Allowed parse(String origin) {
        try {
            URI u = new URI(origin.trim());
            if (u.getScheme() == null || u.getHost() == null || u.getRawUserInfo() != null
                    || !(u.getRawPath() == null || u.getRawPath().isEmpty()) || u.getRawQuery() != null) {
                return null;
            }
            return new Allowed(u.getScheme().toLowerCase(Locale.ROOT), u.getHost().toLowerCase(Locale.ROOT), false,
                    effectivePort(u.getScheme(), u.getPort()));
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static int effectivePort(String scheme, int port) {
        if (port >= 0) {
            return port;
        }
        return switch (scheme.toLowerCase(Locale.ROOT)) {
            case "https", "wss" -> 443;
            case "http", "ws" -> 80;
            default -> -1;
        };
    }

    @Override
    public String toString() {
        return "CheckOrigin[allowed=" + allowed + ", allowMissing=" + allowMissing + "]";
    }

    private record Allowed(String scheme, String host, boolean wildcard, int port) {
        boolean matches(Allowed origin) {
            if (!scheme.equals(origin.scheme) || port != origin.port) {
                return false;
            }
            return wildcard ? origin.host.endsWith("." + host) : host.equals(origin.host);
        }

        @Override
        public String toString() {
            return scheme + "://" + (wildcard ? "*." : "") + host + ":" + port;
        }
    }

    /** Builds a {@link CheckOrigin}; not thread-safe. */
    public static final class Builder {
        private final List<Allowed> allowed = new ArrayList<>();
        private boolean allowMissing;

        private Builder() {
        }

        /**
         * Adds allowed origins: {@code scheme://host[:port]} or {@code scheme://*.domain[:port]}.
         *
         * @throws IllegalArgumentException naming an entry that is not such an origin
         */
        public Builder allow(String... origins) {
            for (String o : origins) {
                Objects.requireNonNull(o, "origin");
                String s = o.trim();
                boolean wildcard = false;
                int at = s.indexOf("://*.");
                if (at > 0) {
                    wildcard = true;
                    s = s.substring(0, at + 3) + s.substring(at + 5);
                }
                Allowed a = parse(s);
                if (a == null || a.port < 0 || s.contains("*")) {
                    throw new IllegalArgumentException("allowed origin '" + o
                            + "' must be scheme://host[:port] or scheme://*.domain[:port], e.g. https://*.example.com");
                }
                allowed.add(new Allowed(a.scheme, a.host, wildcard, a.port));
            }
            return this;
        }

        /** Sets whether a request without {@code Origin} passes (default false). */
        public Builder allowMissing(boolean allow) {
            this.allowMissing = allow;
            return this;
        }

        /**
         * @return the policy
         * @throws IllegalArgumentException when no origin is allowed
         */
        public CheckOrigin build() {
            if (allowed.isEmpty()) {
                throw new IllegalArgumentException("check-origin needs at least one allowed origin");
            }
            return new CheckOrigin(this);
        }
    }
}
