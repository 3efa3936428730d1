package io.wsgate.core.internal.handshake;

import io.wsgate.api.BackendChange;
import io.wsgate.api.HandshakeContext;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.core.transport.Admission;
import io.wsgate.core.error.GatewayError;
import io.wsgate.core.internal.policy.ChainResult;
import io.wsgate.core.internal.policy.ChainRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs an API's effective policy chain on one handshake with {@link ChainRunner} (the same runner
 * {@code PolicyTester} of the testing kit uses) and turns its outcome into an {@link Admission}.
 * A policy that throws, returns null or fails its stage, or a chain that outlasts the policy
 * timeout, gives 500 {@code POLICY_ERROR} with the request id; the cause is logged, never sent.
 */
public final class PolicyChainRunner {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyChainRunner.class);

    private PolicyChainRunner() {
    }

    /**
     * @param chain   the policies of the effective chain that run
     * @param initial the context before the first policy
     * @param timeout how long the whole chain may take
     * @param errors  renders the refusals (with the API's error overrides)
     * @param applied receives the backend changes the policies applied, in order
     * @return the admission; never completes exceptionally
     */
    public static CompletionStage<Admission> run(List<HandshakePolicy> chain, HandshakeContext initial, Duration timeout,
                                                 ErrorResponses errors, List<BackendChange> applied) {
        if (chain.isEmpty()) {
            return CompletableFuture.completedFuture(
                    new Admission.Admitted(initial.backend(), initial.api().limits(), initial.attributes()));
        }
        String requestId = initial.requestId();
        String api = initial.api().name();
        return ChainRunner.run(chain, requestId, initial.request(), initial.api(), initial.backend(), initial.attributes(),
                        applied)
                .toCompletableFuture()
                .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .handle((outcome, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                        if (cause instanceof TimeoutException) {
                            LOG.error("request {}: the policy chain of API '{}' did not decide within {}; the client gets 500 {}",
                                    requestId, api, timeout, GatewayError.POLICY_ERROR.code());
                        } else {
                            LOG.error("request {}: the policy chain of API '{}' failed; the client gets 500 {}", requestId, api,
                                    GatewayError.POLICY_ERROR.code(), cause);
                        }
                        return new Admission.Refused(errors.render(GatewayError.POLICY_ERROR, requestId));
                    }
                    if (outcome instanceof ChainResult.Admitted admitted) {
                        return new Admission.Admitted(admitted.backend(), initial.api().limits(), admitted.attributes());
                    }
                    if (outcome instanceof ChainResult.Rejected rejected) {
                        if (LOG.isDebugEnabled()) {
                            LOG.debug("request {}: policy '{}' rejected the handshake with {} {}", requestId, rejected.policy(),
                                    rejected.rejection().status(), rejected.rejection().code());
                        }
                        return new Admission.Refused(errors.render(rejected.rejection(), requestId));
                    }
                    ChainResult.Failed failed = (ChainResult.Failed) outcome;
                    LOG.error("request {}: policy '{}' of API '{}' failed; the client gets 500 {}", requestId, failed.policy(),
                            api, GatewayError.POLICY_ERROR.code(), failed.cause());
                    return new Admission.Refused(errors.render(GatewayError.POLICY_ERROR, requestId));
                });
    }
}
