package io.wsgate.testing;

import io.wsgate.api.BackendRequest;
import io.wsgate.api.HandshakeDecision;

import java.util.Map;
import java.util.Objects;

/**
 * What running a policy chain on one handshake came to: admitted with the backend request to send,
 * rejected by a policy, or failed because a policy threw, failed its stage or did not answer in time.
 */
public sealed interface ChainOutcome {

    /** @return the attributes the policies left (up to the deciding one, for a rejection) */
    Map<String, Object> attributes();

    /**
     * Every policy proceeded.
     *
     * @param backend    the backend request, with every change applied in order
     * @param attributes the attributes the policies left
     */
    record Admitted(BackendRequest backend, Map<String, Object> attributes) implements ChainOutcome {
        /** Checks and copies every field. */
        public Admitted {
            Objects.requireNonNull(backend, "backend");
            attributes = Map.copyOf(attributes);
        }
    }

    /**
     * A policy rejected the handshake; the policies after it did not run.
     *
     * @param rejection  the rejection
     * @param policy     the name of the policy that rejected
     * @param attributes the attributes left before it
     */
    record Rejected(HandshakeDecision.Reject rejection, String policy, Map<String, Object> attributes) implements ChainOutcome {
        /** Checks and copies every field. */
        public Rejected {
            Objects.requireNonNull(rejection, "rejection");
            Objects.requireNonNull(policy, "policy");
            attributes = Map.copyOf(attributes);
        }
    }

    /**
     * A policy threw, failed its stage, returned no decision or did not answer in time; the gateway
     * answers 500 {@code POLICY_ERROR} and logs the cause.
     *
     * @param cause      the failure
     * @param policy     the name of the policy that failed
     * @param attributes the attributes left before it
     */
    record Failed(Throwable cause, String policy, Map<String, Object> attributes) implements ChainOutcome {
        /** Checks and copies every field. */
        public Failed {
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(policy, "policy");
            attributes = Map.copyOf(attributes);
        }
    }
}
