package io.wsgate.api;

import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A WebSocket API as a managed gateway's form describes it, plus its limits, its
 * onHandshake policies and its message policies.
 *
 * <pre>{@code
 * ApiDefinition echo = ApiDefinition.builder("echo")
 *         .backend("ws://127.0.0.1:9000/ws")
 *         .urlSuffix("/echo")
 *         .onHandshake(myPolicy)
 *         .onMessage(Direction.CLIENT_TO_BACKEND, myMessagePolicy)
 *         .build();
 * }</pre>
 *
 * @param name        identifier, unique in a catalog: letters, digits, '-', '_' and '.'
 * @param displayName a human name; defaults to the identifier
 * @param backendUrl  the backend's WebSocket URL, {@code ws://} or {@code wss://}, without user info or fragment
 * @param schemes     the schemes clients may use on the front: WS, WSS or both
 * @param urlSuffix   the path under the gateway's mount point that selects this API ("" for the root),
 *                    unique in a gateway; the rest of the client's path is appended to the backend URL's path
 * @param products    the names of the products this API belongs to
 * @param gateways    the names of the gateways that serve this API; empty means every gateway
 * @param limits      message size, idle and handshake limits
 * @param onHandshake the policies of the API's onHandshake operation, in order
 * @param policies    the policies of the API scope, in order: they run around the onHandshake operation's
 *                    (which places them with its {@code base} marker, or after them when it has none)
 * @param enforceTokenExpiry whether a pair admitted on a token with an expiry is closed (1008, {@code token expired})
 *                    once that expiry plus the validation's clock skew has passed (live-token enforcement)
 * @param failoverUrls the backends tried, in order, after {@code backendUrl} (the primary) when it is unreachable at
 *                    handshake time; same rules as {@code backendUrl}; empty for an API with one backend
 *                    (see {@link Builder#backends(List)})
 * @param messagePolicies the message policies of the API scope, in order, each with its directions: they run around
 *                    the onMessage operation's (placed by its {@code base} marker, or before them without one)
 * @param onMessage   the message policies of the API's onMessage operation, in order, each with its directions
 */
public record ApiDefinition(String name, String displayName, URI backendUrl, Set<UrlScheme> schemes,
                            String urlSuffix, List<String> products, List<String> gateways, ApiLimits limits,
                            List<HandshakePolicy> onHandshake, List<HandshakePolicy> policies,
                            boolean enforceTokenExpiry, List<URI> failoverUrls,
                            List<MessagePolicyEntry> messagePolicies, List<MessagePolicyEntry> onMessage) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,255}");

    /** Checks every field and names the bad value. */
    public ApiDefinition {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("API name '" + name
                    + "' is invalid: use letters, digits, '.', '-' and '_', starting with a letter or digit");
        }
        Objects.requireNonNull(displayName, "displayName");
        backendUrl = checkBackendUrl(name, backendUrl);
        Objects.requireNonNull(schemes, "schemes");
        if (schemes.isEmpty()) {
            throw new IllegalArgumentException("API '" + name + "' accepts no URL scheme: give WS, WSS or both");
        }
        schemes = Set.copyOf(schemes);
        urlSuffix = normalizeSuffix(name, urlSuffix);
        products = List.copyOf(products);
        gateways = List.copyOf(gateways);
        Objects.requireNonNull(limits, "limits");
        onHandshake = List.copyOf(onHandshake);
        policies = List.copyOf(policies);
        List<URI> failovers = new ArrayList<>();
        for (URI u : failoverUrls) {
            failovers.add(checkBackendUrl(name, u));
        }
        failoverUrls = List.copyOf(failovers);
        messagePolicies = List.copyOf(messagePolicies);
        onMessage = List.copyOf(onMessage);
    }

    /**
     * A definition with no message policy.
     *
     * @see #ApiDefinition(String, String, URI, Set, String, List, List, ApiLimits, List, List, boolean, List, List, List)
     */
    public ApiDefinition(String name, String displayName, URI backendUrl, Set<UrlScheme> schemes,
                         String urlSuffix, List<String> products, List<String> gateways, ApiLimits limits,
                         List<HandshakePolicy> onHandshake, List<HandshakePolicy> policies,
                         boolean enforceTokenExpiry, List<URI> failoverUrls) {
        this(name, displayName, backendUrl, schemes, urlSuffix, products, gateways, limits, onHandshake, policies,
                enforceTokenExpiry, failoverUrls, List.of(), List.of());
    }

    /**
     * A definition with one backend.
     *
     * @see #ApiDefinition(String, String, URI, Set, String, List, List, ApiLimits, List, List, boolean, List)
     */
    public ApiDefinition(String name, String displayName, URI backendUrl, Set<UrlScheme> schemes,
                         String urlSuffix, List<String> products, List<String> gateways, ApiLimits limits,
                         List<HandshakePolicy> onHandshake, List<HandshakePolicy> policies, boolean enforceTokenExpiry) {
        this(name, displayName, backendUrl, schemes, urlSuffix, products, gateways, limits, onHandshake, policies,
                enforceTokenExpiry, List.of());
    }

    /**
     * A definition that enforces token expiry.
     *
     * @see #ApiDefinition(String, String, URI, Set, String, List, List, ApiLimits, List, List, boolean)
     */
    public ApiDefinition(String name, String displayName, URI backendUrl, Set<UrlScheme> schemes,
                         String urlSuffix, List<String> products, List<String> gateways, ApiLimits limits,
                         List<HandshakePolicy> onHandshake, List<HandshakePolicy> policies) {
        this(name, displayName, backendUrl, schemes, urlSuffix, products, gateways, limits, onHandshake, policies, true);
    }

    /**
     * A definition with no API-scope policy (only onHandshake ones).
     *
     * @see #ApiDefinition(String, String, URI, Set, String, List, List, ApiLimits, List, List)
     */
    public ApiDefinition(String name, String displayName, URI backendUrl, Set<UrlScheme> schemes,
                         String urlSuffix, List<String> products, List<String> gateways, ApiLimits limits,
                         List<HandshakePolicy> onHandshake) {
        this(name, displayName, backendUrl, schemes, urlSuffix, products, gateways, limits, onHandshake, List.of(), true);
    }

    private static URI checkBackendUrl(String api, URI url) {
        Objects.requireNonNull(url, "backendUrl");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException("API '" + api + "': backend URL '" + url + "' must start with ws:// or wss://");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new IllegalArgumentException("API '" + api + "': backend URL '" + url + "' has no host");
        }
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("API '" + api + "': backend URL must not hold user info; send credentials with a policy");
        }
        if (url.getRawFragment() != null) {
            throw new IllegalArgumentException("API '" + api + "': backend URL '" + url + "' must not have a fragment");
        }
        return url;
    }

    private static String normalizeSuffix(String api, String suffix) {
        Objects.requireNonNull(suffix, "urlSuffix");
        String s = suffix.trim();
        if (s.contains("?") || s.contains("#") || s.contains("//") || s.contains("..")) {
            throw new IllegalArgumentException("API '" + api + "': URL suffix '" + suffix + "' must be a plain path");
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        if (!s.isEmpty() && !s.startsWith("/")) {
            s = "/" + s;
        }
        return s;
    }

    /**
     * @param name the API's identifier
     * @return a builder; a backend URL is required, everything else has a default
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** @return a builder holding this definition's values */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.displayName = displayName;
        b.backendUrl = backendUrl;
        b.failoverUrls = new ArrayList<>(failoverUrls);
        b.schemes = EnumSet.copyOf(schemes);
        b.urlSuffix = urlSuffix;
        b.products = new ArrayList<>(products);
        b.gateways = new ArrayList<>(gateways);
        b.limits = limits;
        b.onHandshake = new ArrayList<>(onHandshake);
        b.policies = new ArrayList<>(policies);
        b.enforceTokenExpiry = enforceTokenExpiry;
        b.messagePolicies = new ArrayList<>(messagePolicies);
        b.onMessage = new ArrayList<>(onMessage);
        return b;
    }

    /** @return every backend URL in the order they are tried: the primary, then the failover ones */
    public List<URI> backendUrls() {
        List<URI> all = new ArrayList<>(1 + failoverUrls.size());
        all.add(backendUrl);
        all.addAll(failoverUrls);
        return List.copyOf(all);
    }

    /**
     * @param gatewayName a gateway's name
     * @return true when that gateway serves this API
     */
    public boolean servedBy(String gatewayName) {
        return gateways.isEmpty() || gateways.contains(gatewayName);
    }

    /** Builds an {@link ApiDefinition}; not thread-safe. */
    public static final class Builder {
        private final String name;
        private String displayName;
        private URI backendUrl;
        private List<URI> failoverUrls = new ArrayList<>();
        private Set<UrlScheme> schemes = EnumSet.allOf(UrlScheme.class);
        private String urlSuffix = "";
        private List<String> products = new ArrayList<>();
        private List<String> gateways = new ArrayList<>();
        private ApiLimits limits = ApiLimits.ofDefaults();
        private List<HandshakePolicy> onHandshake = new ArrayList<>();
        private List<HandshakePolicy> policies = new ArrayList<>();
        private boolean enforceTokenExpiry = true;
        private List<MessagePolicyEntry> messagePolicies = new ArrayList<>();
        private List<MessagePolicyEntry> onMessage = new ArrayList<>();

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** Sets the human name. */
        public Builder displayName(String displayName) {
            this.displayName = Objects.requireNonNull(displayName, "displayName");
            return this;
        }

        /** Sets the backend WebSocket URL ({@code ws://} or {@code wss://}), the only one: no failover. */
        public Builder backend(URI backendUrl) {
            this.backendUrl = Objects.requireNonNull(backendUrl, "backendUrl");
            this.failoverUrls = new ArrayList<>();
            return this;
        }

        /**
         * Sets several backend WebSocket URLs, tried in order: the first is the primary, every handshake goes
         * to it first. When a backend is unreachable at handshake time (connection refused or reset, TLS
         * failure, host name that does not resolve), the gateway tries the next one within the same client
         * handshake; the client gets the last failure's error only when every one failed. A backend that
         * answers (an HTTP refusal, an invalid handshake) or stays silent past the handshake timeout is not
         * failed over: the first is an answer about the request, the second a fault to see, and the third
         * may still be working on the handshake (trying the next would multiply the client's wait). The
         * rest of the client's path, its query and the policies' changes apply to each; a {@code set-backend}
         * policy's choice replaces the whole list.
         *
         * @param backendUrls at least one URL
         */
        public Builder backends(List<URI> backendUrls) {
            List<URI> urls = List.copyOf(backendUrls);
            if (urls.isEmpty()) {
                throw new IllegalArgumentException("API '" + name + "' has an empty list of backend URLs: give at least one");
            }
            this.backendUrl = urls.get(0);
            this.failoverUrls = new ArrayList<>(urls.subList(1, urls.size()));
            return this;
        }

        /**
         * Sets several backend WebSocket URLs, tried in order (see {@link #backends(List)}).
         *
         * @throws IllegalArgumentException when one is not a URI
         */
        public Builder backends(String first, String... more) {
            List<URI> urls = new ArrayList<>();
            urls.add(uri(first));
            for (String m : more) {
                urls.add(uri(m));
            }
            return backends(urls);
        }

        private URI uri(String backendUrl) {
            Objects.requireNonNull(backendUrl, "backendUrl");
            try {
                return URI.create(backendUrl);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("API '" + name + "': backend URL '" + backendUrl + "' is not a URI: " + e.getMessage(), e);
            }
        }

        /**
         * Sets the backend WebSocket URL.
         *
         * @throws IllegalArgumentException when it is not a URI
         */
        public Builder backend(String backendUrl) {
            return backend(uri(backendUrl));
        }

        /** Sets the schemes clients may use on the front (default: both). */
        public Builder schemes(UrlScheme first, UrlScheme... more) {
            this.schemes = EnumSet.of(first, more);
            return this;
        }

        /** Sets the URL suffix that selects this API (default: "", the gateway's root). */
        public Builder urlSuffix(String urlSuffix) {
            this.urlSuffix = Objects.requireNonNull(urlSuffix, "urlSuffix");
            return this;
        }

        /** Adds products this API belongs to. */
        public Builder products(String... products) {
            this.products.addAll(List.of(products));
            return this;
        }

        /** Adds gateways that serve this API (none: every gateway). */
        public Builder gateways(String... gateways) {
            this.gateways.addAll(List.of(gateways));
            return this;
        }

        /** Sets the limits (default: {@link ApiLimits#ofDefaults()}). */
        public Builder limits(ApiLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Adds policies at the end of the onHandshake operation's list. */
        public Builder onHandshake(HandshakePolicy... policies) {
            this.onHandshake.addAll(List.of(policies));
            return this;
        }

        /** Adds policies at the end of the onHandshake operation's list. */
        public Builder onHandshake(List<HandshakePolicy> policies) {
            this.onHandshake.addAll(policies);
            return this;
        }

        /**
         * Adds policies at the end of the API scope's list. They run around the onHandshake operation's
         * policies: where its {@code base} marker stands, or before them when it has none.
         */
        public Builder policies(HandshakePolicy... policies) {
            this.policies.addAll(List.of(policies));
            return this;
        }

        /** Adds policies at the end of the API scope's list. */
        public Builder policies(List<HandshakePolicy> policies) {
            this.policies.addAll(policies);
            return this;
        }

        /**
         * Adds message policies, seeing both directions, at the end of the onMessage operation's list (the innermost
         * scope of message policies).
         */
        public Builder onMessage(MessagePolicy... policies) {
            this.onMessage.addAll(MessagePolicyEntry.all(null, policies));
            return this;
        }

        /** Adds message policies, seeing one direction, at the end of the onMessage operation's list. */
        public Builder onMessage(Direction direction, MessagePolicy... policies) {
            this.onMessage.addAll(MessagePolicyEntry.all(Objects.requireNonNull(direction, "direction"), policies));
            return this;
        }

        /** Adds entries at the end of the onMessage operation's list. */
        public Builder onMessage(List<MessagePolicyEntry> entries) {
            this.onMessage.addAll(entries);
            return this;
        }

        /**
         * Adds message policies, seeing both directions, at the end of the API scope's message list. They run around
         * the onMessage operation's: where its {@code base} marker stands, or before them when it has none.
         */
        public Builder messagePolicies(MessagePolicy... policies) {
            this.messagePolicies.addAll(MessagePolicyEntry.all(null, policies));
            return this;
        }

        /** Adds message policies, seeing one direction, at the end of the API scope's message list. */
        public Builder messagePolicies(Direction direction, MessagePolicy... policies) {
            this.messagePolicies.addAll(MessagePolicyEntry.all(Objects.requireNonNull(direction, "direction"), policies));
            return this;
        }

        /** Adds entries at the end of the API scope's message list. */
        public Builder messagePolicies(List<MessagePolicyEntry> entries) {
            this.messagePolicies.addAll(entries);
            return this;
        }

        /**
         * Sets whether a pair admitted on a token with an expiry ({@code exp}) is closed with 1008
         * {@code token expired} once that expiry plus the validation's clock skew has passed (default true).
         * Turn it off for an API whose backend checks tokens itself or whose clients refresh them in-band.
         */
        public Builder enforceTokenExpiry(boolean enforce) {
            this.enforceTokenExpiry = enforce;
            return this;
        }

        /**
         * @return the definition
         * @throws IllegalArgumentException naming the bad value when one is
         * @throws NullPointerException when no backend URL was given
         */
        public ApiDefinition build() {
            if (backendUrl == null) {
                throw new IllegalArgumentException("API '" + name + "' has no backend URL: call backend(\"ws://host:port/path\")");
            }
            return new ApiDefinition(name, displayName == null ? name : displayName, backendUrl, schemes, urlSuffix,
                    products, gateways, limits, onHandshake, policies, enforceTokenExpiry, failoverUrls, messagePolicies,
                    onMessage);
        }
    }
}
