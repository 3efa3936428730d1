package io.wsgate.core.internal.relay;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.HandshakeRequest;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What a relay knows of its pair from the handshake.
 *
 * @param id          the connection id
 * @param requestId   the handshake's request id
 * @param api         the API
 * @param request     the client's request
 * @param backendUri  the backend URI connected to
 * @param subprotocol the chosen subprotocol, empty for none
 * @param attributes  what the policies left
 * @param openedAt    when the pair was established
 * @param handshakeMillis how long the handshake took, request to 101
 * @param clock       the gateway's clock
 */
public record PairInfo(String id, String requestId, ApiDefinition api, HandshakeRequest request, URI backendUri,
                       String subprotocol, Map<String, Object> attributes, Instant openedAt, long handshakeMillis,
                       Clock clock) {
    /** Checks and copies the fields. */
    public PairInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(backendUri, "backendUri");
        Objects.requireNonNull(subprotocol, "subprotocol");
        attributes = Map.copyOf(attributes);
        Objects.requireNonNull(openedAt, "openedAt");
        Objects.requireNonNull(clock, "clock");
    }
}
