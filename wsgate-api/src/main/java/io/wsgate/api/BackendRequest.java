package io.wsgate.api;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * What the gateway will send to the backend in its own handshake, as the policies have shaped it.
 *
 * @param uri          the full backend URI: the API's backend URL, the rest of the client's path and the query
 * @param headers      the headers to send (end-to-end headers of the client plus forwarding headers;
 *                     never hop-by-hop ones, which the transport sets itself)
 * @param subprotocols the subprotocols to offer, in order
 */
public record BackendRequest(URI uri, Headers headers, List<String> subprotocols) {

    /** Checks every field. */
    public BackendRequest {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(headers, "headers");
        subprotocols = List.copyOf(subprotocols);
    }

    /** @return this request with another URI */
    public BackendRequest withUri(URI uri) {
        return new BackendRequest(uri, headers, subprotocols);
    }

    /** @return this request with other headers */
    public BackendRequest withHeaders(Headers headers) {
        return new BackendRequest(uri, headers, subprotocols);
    }

    /** @return this request offering other subprotocols */
    public BackendRequest withSubprotocols(List<String> subprotocols) {
        return new BackendRequest(uri, headers, subprotocols);
    }
}
