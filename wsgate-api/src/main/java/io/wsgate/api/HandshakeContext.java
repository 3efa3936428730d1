package io.wsgate.api;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link HandshakePolicy} sees: the client's request, the API it reached, the backend
 * handshake as the earlier policies have shaped it, and the attributes they left.
 *
 * @param requestId  the id of this handshake, also in the access log and in every error body
 * @param request    the client's upgrade request
 * @param api        the API the request reached
 * @param backend    the backend handshake so far
 * @param attributes values left by earlier policies (for instance verified token claims)
 */
public record HandshakeContext(String requestId, HandshakeRequest request, ApiDefinition api,
                               BackendRequest backend, Map<String, Object> attributes) {

    /** Checks and copies every field. */
    public HandshakeContext {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(backend, "backend");
        attributes = Map.copyOf(attributes);
    }

    /**
     * @param name an attribute's name
     * @param type the type it is expected to have
     * @param <T>  that type
     * @return the attribute, when it is present and of that type
     */
    public <T> Optional<T> attribute(String name, Class<T> type) {
        Object value = attributes.get(name);
        return type.isInstance(value) ? Optional.of(type.cast(value)) : Optional.empty();
    }
}
