package io.wsgate.core.internal.handshake;

import io.wsgate.api.BackendChange;
import io.wsgate.api.BackendRequest;
import io.wsgate.api.HandshakeContext;
import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.core.Admission;
import io.wsgate.core.GatewayError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs an API's effective policy chain on one handshake, one policy after another, each seeing
 * the backend request and attributes the previous ones left. The first rejection ends the chain.
 * A policy that throws, returns null, fails its stage, or a chain that outlasts the policy
 * timeout, gives 500 {@code POLICY_ERROR} with the request id; the cause is logged, never sent.
 */
public final class PolicyChainRunner {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyChainRunner.class);

    private PolicyChainRunner() {
    }

    /**
     * @param chain   the effective chain
     * @param initial the context before the first policy
     * @param timeout how long the whole chain may take
     * @return the admission; never completes exceptionally
     */
    public static CompletionStage<Admission> run(List<HandshakePolicy> chain, HandshakeContext initial, Duration timeout) {
        if (chain.isEmpty()) {
            return CompletableFuture.completedFuture(
                    new Admission.Admitted(initial.backend(), initial.api().limits(), initial.attributes()));
        }
        CompletableFuture<Admission> result = new CompletableFuture<>();
        step(chain, 0, initial, result);
        return result.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .exceptionally(e -> {
                    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                    if (cause instanceof TimeoutException) {
                        LOG.error("request {}: the policy chain of API '{}' did not decide within {}", initial.requestId(),
                                initial.api().name(), timeout);
                    } else {
                        LOG.error("request {}: the policy chain of API '{}' failed", initial.requestId(), initial.api().name(), cause);
                    }
                    return new Admission.Refused(ErrorResponses.of(GatewayError.POLICY_ERROR, initial.requestId()));
                });
    }

    private static void step(List<HandshakePolicy> chain, int index, HandshakeContext context, CompletableFuture<Admission> result) {
        while (index < chain.size()) {
            if (result.isDone()) {
                return;
            }
            HandshakePolicy policy = chain.get(index);
            CompletionStage<HandshakeDecision> stage;
            try {
                stage = policy.evaluate(context);
            } catch (Throwable e) {
                fail(policy, context, e, result);
                return;
            }
            if (stage == null) {
                fail(policy, context, new NullPointerException("policy returned no stage"), result);
                return;
            }
            CompletableFuture<HandshakeDecision> future = stage.toCompletableFuture();
            if (future.isDone() && !future.isCompletedExceptionally()) {
                HandshakeContext next = apply(policy, context, future.join(), result);
                if (next == null) {
                    return;
                }
                context = next;
                index++;
                continue;
            }
            int nextIndex = index + 1;
            HandshakeContext current = context;
            future.whenComplete((decision, error) -> {
                if (error != null) {
                    fail(policy, current, error, result);
                    return;
                }
                HandshakeContext next = apply(policy, current, decision, result);
                if (next != null) {
                    step(chain, nextIndex, next, result);
                }
            });
            return;
        }
        result.complete(new Admission.Admitted(context.backend(), context.api().limits(), context.attributes()));
    }

    /** @return the context for the next policy, or null when the chain has ended */
    private static HandshakeContext apply(HandshakePolicy policy, HandshakeContext context, HandshakeDecision decision,
                                          CompletableFuture<Admission> result) {
        if (decision == null) {
            fail(policy, context, new NullPointerException("policy returned no decision"), result);
            return null;
        }
        if (decision instanceof HandshakeDecision.Reject reject) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("request {}: policy '{}' rejected the handshake with {} {}", context.requestId(), policy.name(),
                        reject.status(), reject.code());
            }
            result.complete(new Admission.Refused(ErrorResponses.of(reject, context.requestId())));
            return null;
        }
        HandshakeDecision.Proceed proceed = (HandshakeDecision.Proceed) decision;
        if (proceed.changes().isEmpty() && proceed.attributes().isEmpty()) {
            return context;
        }
        BackendRequest backend = context.backend();
        try {
            for (BackendChange change : proceed.changes()) {
                backend = change.applyTo(backend);
            }
        } catch (RuntimeException e) {
            fail(policy, context, e, result);
            return null;
        }
        Map<String, Object> attributes = context.attributes();
        if (!proceed.attributes().isEmpty()) {
            attributes = new HashMap<>(attributes);
            attributes.putAll(proceed.attributes());
        }
        return new HandshakeContext(context.requestId(), context.request(), context.api(), backend, attributes);
    }

    private static void fail(HandshakePolicy policy, HandshakeContext context, Throwable error, CompletableFuture<Admission> result) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
        LOG.error("request {}: policy '{}' of API '{}' failed; the client gets 500 {}", context.requestId(), policy.name(),
                context.api().name(), GatewayError.POLICY_ERROR.code(), cause);
        result.complete(new Admission.Refused(ErrorResponses.of(GatewayError.POLICY_ERROR, context.requestId())));
    }
}
