package io.wsgate.core.transport;

import io.wsgate.api.ApiLimits;
import io.wsgate.api.BackendRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
     * @param limits     the API's limits (the handshake timeout applies to each backend handshake)
     * @param attributes what the policies left for the pair
     * @param failovers  the handshakes to try next, in order, when {@code backend} is unreachable
     *                   (only when one is unreachable); the policies' changes are applied to each
     */
    record Admitted(BackendRequest backend, ApiLimits limits, Map<String, Object> attributes,
                    List<BackendRequest> failovers) implements Admission {
        /** Checks and copies every field. */
        public Admitted {
            Objects.requireNonNull(backend, "backend");
            Objects.requireNonNull(limits, "limits");
            attributes = Map.copyOf(attributes);
            failovers = List.copyOf(failovers);
        }

        /**
         * An admission to one backend, with no failover.
         *
         * @param backend    the backend handshake to send
         * @param limits     the API's limits
         * @param attributes what the policies left for the pair
         */
        public Admitted(BackendRequest backend, ApiLimits limits, Map<String, Object> attributes) {
            this(backend, limits, attributes, List.of());
        }

        /** @return every backend handshake in the order they are tried: {@code backend}, then the failovers */
        public List<BackendRequest> candidates() {
            List<BackendRequest> all = new ArrayList<>(1 + failovers.size());
            all.add(backend);
            all.addAll(failovers);
            return List.copyOf(all);
        }

        /** @return this admission moved on to the next candidate, when there is one */
        public Optional<Admitted> next() {
            if (failovers.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Admitted(failovers.get(0), limits, attributes, failovers.subList(1, failovers.size())));
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
