package io.wsgate.api;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A client's WebSocket upgrade request as the gateway received it.
 *
 * @param method              the HTTP method ({@code GET} for a valid upgrade)
 * @param path                the request path as received, without the query
 * @param query               the raw query string without the '?'; empty when there is none
 * @param headers             every request header
 * @param clientAddress       the address of the peer that connected to the gateway
 * @param secure              true when the client connected over TLS ({@code wss://})
 * @param offeredSubprotocols the subprotocols the client offered, in its order of preference
 * @param httpVersion         the request's HTTP version as it arrived: {@value #HTTP_1_1} for an RFC 6455
 *                            upgrade, {@value #HTTP_2} for an RFC 8441 extended CONNECT (which the transport
 *                            presents with its HTTP/1.1 equivalent: method GET and the upgrade headers),
 *                            or another such as {@code HTTP/1.0}, which is no WebSocket handshake
 */
public record HandshakeRequest(String method, String path, String query, Headers headers,
                               InetSocketAddress clientAddress, boolean secure, List<String> offeredSubprotocols,
                               String httpVersion) {

    /** The HTTP version of an RFC 6455 upgrade. */
    public static final String HTTP_1_1 = "HTTP/1.1";
    /** The HTTP version of an RFC 8441 WebSocket (an extended CONNECT on an HTTP/2 stream). */
    public static final String HTTP_2 = "HTTP/2";

    /** Checks every field. */
    public HandshakeRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(clientAddress, "clientAddress");
        offeredSubprotocols = List.copyOf(offeredSubprotocols);
        Objects.requireNonNull(httpVersion, "httpVersion");
    }

    /** @return the first value of the {@code Host} header */
    public Optional<String> host() {
        return headers.first("Host");
    }

    /**
     * @param name a header name, any case
     * @return its first value
     */
    public Optional<String> header(String name) {
        return headers.first(name);
    }

    /** @return a builder, handy in tests of a policy; the defaults are a plain GET of "/" from 127.0.0.1 */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link HandshakeRequest}; not thread-safe. */
    public static final class Builder {
        private String method = "GET";
        private String path = "/";
        private String query = "";
        private final Headers.Builder headers = Headers.builder();
        private InetSocketAddress clientAddress = new InetSocketAddress("127.0.0.1", 50000);
        private boolean secure;
        private final List<String> subprotocols = new ArrayList<>();
        private String httpVersion = HTTP_1_1;

        private Builder() {
        }

        /** Sets the method (default GET). */
        public Builder method(String method) {
            this.method = method;
            return this;
        }

        /** Sets the path (default "/"). */
        public Builder path(String path) {
            this.path = path;
            return this;
        }

        /** Sets the raw query string without '?'. */
        public Builder query(String query) {
            this.query = query;
            return this;
        }

        /** Adds a header. */
        public Builder header(String name, String value) {
            headers.add(name, value);
            return this;
        }

        /** Sets the client's address. */
        public Builder clientAddress(InetSocketAddress address) {
            this.clientAddress = address;
            return this;
        }

        /** Sets whether the client connected over TLS. */
        public Builder secure(boolean secure) {
            this.secure = secure;
            return this;
        }

        /** Adds offered subprotocols. */
        public Builder subprotocols(String... offered) {
            subprotocols.addAll(List.of(offered));
            return this;
        }

        /** Sets the HTTP version (default {@value HandshakeRequest#HTTP_1_1}). */
        public Builder httpVersion(String httpVersion) {
            this.httpVersion = httpVersion;
            return this;
        }

        /** @return the request */
        public HandshakeRequest build() {
            return new HandshakeRequest(method, path, query, headers.build(), clientAddress, secure, subprotocols, httpVersion);
        }
    }
}
