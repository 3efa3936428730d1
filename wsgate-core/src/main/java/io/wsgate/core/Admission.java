package io.wsgate.core;

import io.wsgate.api.ApiLimits;
import io.wsgate.api.BackendRequest;

import java.util.Map;
import java.util.Objects;

/**
 * The outcome of a handshake's policy chain: admitted (connect to the backend with this
 * request) or refused (answer the client with this response; no backend connection).
 */
public sealed interface Admission {

    /**
     * Connect to the backend.
     *
     * @param backend    the backend handshake to send
     * @param limits     the API's limits (the handshake timeout applies to the backend handshake)
     * @param attributes what the policies left for the pair
     */
    record Admitted(BackendRequest backend, ApiLimits limits, Map<String, Object> attributes) implements Admission {
        /** Checks and copies every field. */
        public Admitted {
            Objects.requireNonNull(backend, "backend");
            Objects.requireNonNull(limits, "limits");
            attributes = Map.copyOf(attributes);
        }
    }

    /**
     * Answer the client with an error.
     *
     * @param response the response to write
     */
    record Refused(ErrorResponse response) implements Admission {
        /** Checks the field. */
        public Refused {
            Objects.requireNonNull(response, "response");
        }
    }
}
