package io.wsgate.core.transport;

import java.util.Objects;

/** What one backend handshake ended with, as a {@link BackendConnector} reports it. */
public sealed interface BackendOutcome {

    /**
     * The backend answered 101 with a valid handshake.
     *
     * @param backend     the backend's connection, not yet reading
     * @param subprotocol the subprotocol the backend chose; empty for none
     */
    record Connected(TransportSide backend, String subprotocol) implements BackendOutcome {
        /** Checks every field. */
        public Connected {
            Objects.requireNonNull(backend, "backend");
            Objects.requireNonNull(subprotocol, "subprotocol");
        }
    }

    /**
     * The backend handshake failed; no connection is left open.
     *
     * @param failure why
     */
    record Failed(BackendFailure failure) implements BackendOutcome {
        /** Checks the field. */
        public Failed {
            Objects.requireNonNull(failure, "failure");
        }
    }

    /**
     * @param backend     the backend's connection
     * @param subprotocol the chosen subprotocol; empty for none
     * @return a connected outcome
     */
    static BackendOutcome connected(TransportSide backend, String subprotocol) {
        return new Connected(backend, subprotocol);
    }

    /**
     * @param failure why the handshake failed
     * @return a failed outcome
     */
    static BackendOutcome failed(BackendFailure failure) {
        return new Failed(failure);
    }
}
