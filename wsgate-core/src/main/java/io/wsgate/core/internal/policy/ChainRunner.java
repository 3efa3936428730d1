package io.wsgate.core.internal.policy;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.BackendChange;
import io.wsgate.api.BackendRequest;
import io.wsgate.api.HandshakeContext;
import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.api.HandshakeRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Runs policies one after the other on a handshake: each sees the backend request and attributes the
 * previous ones left; a rejection or a failure stops the chain. Never completes exceptionally, never blocks;
 * a timeout is the caller's business.
 */
public final class ChainRunner {

    private ChainRunner() {
    }

    /**
     * @param policies   the policies that run, in order
     * @param requestId  the handshake's id
     * @param request    the client's request
     * @param api        the API
     * @param backend    the backend request before the first policy
     * @param attributes the attributes before the first policy
     * @return the outcome
     */
    public static CompletionStage<ChainResult> run(List<HandshakePolicy> policies, String requestId, HandshakeRequest request,
                                                    ApiDefinition api, BackendRequest backend, Map<String, Object> attributes) {
        return run(policies, requestId, request, api, backend, attributes, new ArrayList<>());
    }

    /**
     * Runs the chain and records every backend change applied, in order (to apply them again to another
     * backend of the API: failover).
     *
     * @param applied receives the changes, one step after the other (each step happens-before the next and the outcome)
     * @see #run(List, String, HandshakeRequest, ApiDefinition, BackendRequest, Map)
     */
    public static CompletionStage<ChainResult> run(List<HandshakePolicy> policies, String requestId, HandshakeRequest request,
                                                    ApiDefinition api, BackendRequest backend, Map<String, Object> attributes,
                                                    List<BackendChange> applied) {
        CompletableFuture<ChainResult> result = new CompletableFuture<>();
        step(policies, 0, requestId, request, api, backend, new HashMap<>(attributes), result, applied);
        return result;
    }

    private static void step(List<HandshakePolicy> policies, int index, String requestId, HandshakeRequest request,
                             ApiDefinition api, BackendRequest backend, Map<String, Object> attributes,
                             CompletableFuture<ChainResult> result, List<BackendChange> applied) {
        // Loop while policies complete synchronously; recurse only from an asynchronous completion.
        int i = index;
        BackendRequest current = backend;
        while (i < policies.size()) {
            HandshakePolicy policy = policies.get(i);
            CompletableFuture<HandshakeDecision> stage;
            try {
                CompletionStage<HandshakeDecision> s = policy.evaluate(
                        new HandshakeContext(requestId, request, api, current, attributes));
                if (s == null) {
                    throw new NullPointerException("policy '" + policy.name() + "' returned no stage");
                }
                stage = s.toCompletableFuture();
            } catch (Throwable e) {
                result.complete(new ChainResult.Failed(e, policy.name(), attributes));
                return;
            }
            if (!stage.isDone()) {
                int next = i;
                BackendRequest before = current;
                stage.whenComplete((decision, error) -> {
                    BackendRequest after = apply(policy, decision, error, before, attributes, result, applied);
                    if (after != null) {
                        step(policies, next + 1, requestId, request, api, after, attributes, result, applied);
                    }
                });
                return;
            }
            HandshakeDecision decision = null;
            Throwable error = null;
            try {
                decision = stage.join();
            } catch (Throwable e) {
                error = e;
            }
            current = apply(policy, decision, error, current, attributes, result, applied);
            if (current == null) {
                return;
            }
            i++;
        }
        result.complete(new ChainResult.Admitted(current, attributes));
    }

    /** @return the backend request after the decision, or null when the chain ended (result completed) */
    private static BackendRequest apply(HandshakePolicy policy, HandshakeDecision decision, Throwable error,
                                        BackendRequest backend, Map<String, Object> attributes,
                                        CompletableFuture<ChainResult> result, List<BackendChange> applied) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            result.complete(new ChainResult.Failed(cause, policy.name(), attributes));
            return null;
        }
        if (decision == null) {
            result.complete(new ChainResult.Failed(new NullPointerException("policy '" + policy.name() + "' returned no decision"),
                    policy.name(), attributes));
            return null;
        }
        if (decision instanceof HandshakeDecision.Reject reject) {
            result.complete(new ChainResult.Rejected(reject, policy.name(), attributes));
            return null;
        }
        HandshakeDecision.Proceed proceed = (HandshakeDecision.Proceed) decision;
        BackendRequest next = backend;
        try {
            for (BackendChange change : proceed.changes()) {
                next = change.applyTo(next);
            }
        } catch (RuntimeException e) {
            result.complete(new ChainResult.Failed(e, policy.name(), attributes));
            return null;
        }
        attributes.putAll(proceed.attributes());
        applied.addAll(proceed.changes());
        return next;
    }
}
