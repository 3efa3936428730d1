package io.wsgate.api;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One change a policy asks for in the gateway's handshake to the backend. Changes are values:
 * they are applied in the order the policies returned them, each to the result of the previous.
 */
public sealed interface BackendChange {

    /**
     * @param request the backend request so far
     * @return the request with this change applied
     */
    BackendRequest applyTo(BackendRequest request);

    /**
     * Replaces every header of that name by one.
     *
     * @param name  the header name
     * @param value its value
     */
    record SetHeader(String name, String value) implements BackendChange {
        /** Checks the field as a header field. */
        public SetHeader {
            new Headers.Field(name, value);
        }

        @Override
        public BackendRequest applyTo(BackendRequest request) {
            return request.withHeaders(request.headers().with(name, value));
        }
    }

    /**
     * Adds one header field, keeping those of the same name.
     *
     * @param name  the header name
     * @param value its value
     */
    record AddHeader(String name, String value) implements BackendChange {
        /** Checks the field as a header field. */
        public AddHeader {
            new Headers.Field(name, value);
        }

        @Override
        public BackendRequest applyTo(BackendRequest request) {
            return request.withHeaders(request.headers().plus(name, value));
        }
    }

    /**
     * Removes every header of that name.
     *
     * @param name the header name, any case
     */
    record RemoveHeader(String name) implements BackendChange {
        /** Checks the name. */
        public RemoveHeader {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public BackendRequest applyTo(BackendRequest request) {
            return request.withHeaders(request.headers().without(name));
        }
    }

    /**
     * Sets a query parameter, replacing any of that name. The name and value are given
     * unencoded and are percent-encoded here.
     *
     * @param name  the parameter name
     * @param value its value
     */
    record SetQueryParameter(String name, String value) implements BackendChange {
        /** Checks the fields. */
        public SetQueryParameter {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("query parameter name is empty");
            }
        }

        @Override
        public BackendRequest applyTo(BackendRequest request) {
            String kept = Queries.without(request.uri().getRawQuery(), name);
            String added = Queries.encode(name) + "=" + Queries.encode(value);
            return request.withUri(Queries.withRawQuery(request.uri(), kept.isEmpty() ? added : kept + "&" + added));
        }
    }

    /**
     * Removes every query parameter of that name.
     *
     * @param name the parameter name, unencoded
     */
    record RemoveQueryParameter(String name) implements BackendChange {
        /** Checks the name. */
        public RemoveQueryParameter {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public BackendRequest applyTo(BackendRequest request) {
            return request.withUri(Queries.withRawQuery(request.uri(), Queries.without(request.uri().getRawQuery(), name)));
        }
    }

    /**
     * Replaces the path of the backend URI; the query is kept.
     *
     * @param rawPath the new path, percent-encoded, starting with '/'
     */
    record RewritePath(String rawPath) implements BackendChange {
        /** Checks the path. */
        public RewritePath {
            Objects.requireNonNull(rawPath, "rawPath");
            if (!rawPath.startsWith("/") || rawPath.contains("?") || rawPath.contains("#")) {
                throw new IllegalArgumentException("rewritten path '" + rawPath + "' must start with '/' and hold no '?' or '#'");
            }
        }

        @Override
        public BackendRequest applyTo(BackendRequest request) {
            URI u = request.uri();
            return request.withUri(Queries.build(u.getScheme(), u.getRawAuthority(), rawPath, u.getRawQuery()));
        }
    }

    /**
     * Sends the handshake to another backend server: replaces the scheme, host and port of the
     * backend URI; its path and query are kept.
     *
     * @param origin a {@code ws://} or {@code wss://} URI whose scheme, host and port are used
     */
    record SetBackend(URI origin) implements BackendChange {
        /** Checks the origin. */
        public SetBackend {
            Objects.requireNonNull(origin, "origin");
            String scheme = origin.getScheme() == null ? "" : origin.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("ws") && !scheme.equals("wss") || origin.getHost() == null) {
                throw new IllegalArgumentException("backend '" + origin + "' must be a ws:// or wss:// URI with a host");
            }
        }

        @Override
        public BackendRequest applyTo(BackendRequest request) {
            URI u = request.uri();
            return request.withUri(Queries.build(origin.getScheme(), origin.getRawAuthority(), u.getRawPath(), u.getRawQuery()));
        }
    }

    /**
     * Replaces the subprotocols offered to the backend.
     *
     * @param subprotocols the subprotocols to offer, in order
     */
    record SetSubprotocols(List<String> subprotocols) implements BackendChange {
        /** Copies the list. */
        public SetSubprotocols {
            subprotocols = List.copyOf(subprotocols);
        }

        @Override
        public BackendRequest applyTo(BackendRequest request) {
            return request.withSubprotocols(subprotocols);
        }
    }
}
