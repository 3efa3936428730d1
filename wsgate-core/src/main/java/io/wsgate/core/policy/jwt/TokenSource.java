package io.wsgate.core.policy.jwt;

import io.wsgate.api.BackendChange;
import io.wsgate.api.BackendRequest;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.api.Queries;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a policy finds a client's token. Browsers cannot set headers on a WebSocket, so besides the
 * {@code Authorization} header a token may come in a query parameter, a cookie or a
 * {@code Sec-WebSocket-Protocol} entry; a token taken from the query or a subprotocol is removed from the
 * backend handshake.
 */
public sealed interface TokenSource {

    /** @return the {@code Authorization: Bearer <token>} header */
    static TokenSource authorizationHeader() {
        return new AuthorizationHeader("Bearer");
    }

    /**
     * @param name the query parameter, e.g. {@code access_token}
     * @return that query parameter (removed before the backend handshake)
     */
    static TokenSource queryParameter(String name) {
        return new QueryParameter(name);
    }

    /**
     * @param name the cookie's name
     * @return that cookie
     */
    static TokenSource cookie(String name) {
        return new Cookie(name);
    }

    /**
     * @param prefix what the entry starts with, e.g. {@code bearer.}; the token is the rest of the entry
     * @return the first offered subprotocol with that prefix (removed from those offered to the backend)
     */
    static TokenSource subprotocol(String prefix) {
        return new Subprotocol(prefix, "");
    }

    /**
     * The way a browser sends a token: it offers a fixed marker beside the token,
     * {@code new WebSocket(url, [marker, prefix + token])}. The marker is removed from the backend's offer too, and
     * the gateway answers the client with it when the backend chose no subprotocol (a browser refuses a 101 without
     * one after offering some); see {@link io.wsgate.core.ClientSubprotocol}.
     *
     * @param prefix what the token's entry starts with, e.g. {@code bearer.}
     * @param marker the fixed entry offered beside it, e.g. {@code wsgate.bearer}; must not start with the prefix
     * @return the first offered subprotocol with that prefix
     */
    static TokenSource subprotocol(String prefix, String marker) {
        return new Subprotocol(prefix, marker);
    }

    /**
     * @param request the client's request
     * @return the token, when this source holds a non-empty one
     */
    Optional<String> find(HandshakeRequest request);

    /**
     * @param backend the backend request so far
     * @param token   the token this source gave
     * @return the changes that keep the token away from the backend (none for headers and cookies)
     */
    default List<BackendChange> removal(BackendRequest backend, String token) {
        return List.of();
    }

    /**
     * The {@code Authorization} header with a scheme.
     *
     * @param scheme the scheme, e.g. {@code Bearer}, compared case-insensitively
     */
    record AuthorizationHeader(String scheme) implements TokenSource {
        /** Checks the scheme. */
        public AuthorizationHeader {
            requireName(scheme, "scheme");
        }

        @Override
        public Optional<String> find(HandshakeRequest request) {
            return request.header("Authorization")
                    .filter(v -> v.length() > scheme.length() + 1 && v.regionMatches(true, 0, scheme, 0, scheme.length())
                            && v.charAt(scheme.length()) == ' ')
                    .map(v -> v.substring(scheme.length() + 1).trim())
                    .filter(t -> !t.isEmpty());
        }
    }

    /**
     * A query parameter.
     *
     * @param name its name
     */
    record QueryParameter(String name) implements TokenSource {
        /** Checks the name. */
        public QueryParameter {
            requireName(name, "query parameter name");
        }

        @Override
        public Optional<String> find(HandshakeRequest request) {
            return Queries.parameter(request.query(), name).filter(t -> !t.isEmpty());
        }

        @Override
        public List<BackendChange> removal(BackendRequest backend, String token) {
            return List.of(new BackendChange.RemoveQueryParameter(name));
        }
    }

    /**
     * A cookie.
     *
     * @param name its name
     */
    record Cookie(String name) implements TokenSource {
        /** Checks the name. */
        public Cookie {
            requireName(name, "cookie name");
        }

        @Override
        public Optional<String> find(HandshakeRequest request) {
            return cookie(request, name).filter(t -> !t.isEmpty());
        }

        /** @return the cookie's value from the first {@code Cookie} header holding it, unquoted */
        private static Optional<String> cookie(HandshakeRequest request, String name) {
            for (String header : request.headers().all("Cookie")) {
                for (String pair : header.split(";")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                        String v = pair.substring(eq + 1).trim();
                        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                            v = v.substring(1, v.length() - 1);
                        }
                        return Optional.of(v);
                    }
                }
            }
            return Optional.empty();
        }
    }

    /**
     * A {@code Sec-WebSocket-Protocol} entry.
     *
     * @param prefix what the entry starts with; the token is the rest
     * @param marker the fixed entry a browser offers beside the token, answered when the backend chooses none;
     *               empty for none
     */
    record Subprotocol(String prefix, String marker) implements TokenSource {
        /** Checks the prefix and the marker. */
        public Subprotocol {
            requireName(prefix, "subprotocol prefix");
            Objects.requireNonNull(marker, "marker");
            if (!marker.isEmpty() && (marker.startsWith(prefix) || !marker.chars().allMatch(Subprotocol::tokenChar))) {
                throw new IllegalArgumentException("subprotocol marker '" + marker + "' must be a token (letters, digits,"
                        + " '.', '-', '_') that does not start with the prefix '" + prefix + "'");
            }
        }

        /**
         * @param prefix what the entry starts with; the token is the rest
         */
        public Subprotocol(String prefix) {
            this(prefix, "");
        }

        @Override
        public Optional<String> find(HandshakeRequest request) {
            return request.offeredSubprotocols().stream()
                    .filter(p -> p.startsWith(prefix) && p.length() > prefix.length())
                    .map(p -> p.substring(prefix.length()))
                    .findFirst();
        }

        @Override
        public List<BackendChange> removal(BackendRequest backend, String token) {
            List<String> kept = new ArrayList<>(backend.subprotocols());
            kept.remove(prefix + token);
            if (!marker.isEmpty()) {
                kept.remove(marker);
            }
            return List.of(new BackendChange.SetSubprotocols(kept));
        }

        /**
         * @param request the client's request
         * @return the marker, when there is one and the client offered it: the subprotocol to answer the client with
         */
        public Optional<String> offeredMarker(HandshakeRequest request) {
            return !marker.isEmpty() && request.offeredSubprotocols().contains(marker) ? Optional.of(marker) : Optional.empty();
        }

        private static boolean tokenChar(int c) {
            return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_';
        }
    }

    private static void requireName(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " is blank");
        }
    }
}
