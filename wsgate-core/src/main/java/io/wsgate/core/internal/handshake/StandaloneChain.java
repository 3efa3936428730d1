package io.wsgate.core.internal.handshake;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.BackendRequest;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.internal.policy.ChainResult;
import io.wsgate.core.internal.policy.ChainRunner;
import io.wsgate.core.policy.ApiChains;
import io.wsgate.core.policy.Policies;
import io.wsgate.core.policy.ProductSelection;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs policies on one handshake request outside a gateway, the way the gateway's exchange does: from the
 * backend request the gateway would build, with the product and subscription key its selection found, and
 * waiting for the outcome on the calling thread. What {@code PolicyTester} of wsgate-testing (and core's own
 * policy tests) run on; not API.
 */
public final class StandaloneChain {

    /** The name a timed-out chain's {@link ChainResult.Failed} gives as its policy. */
    public static final String TIMEOUT = "(timeout)";
    /** The name a refused subscription's {@link ChainResult.Rejected} gives as its policy. */
    public static final String SUBSCRIPTION = "subscription";

    private StandaloneChain() {
    }

    /**
     * @param api     the API the request reached
     * @param request the client's request (its path routed on the API's URL suffix, when it has one)
     * @return the backend request before the first policy, as the gateway builds it
     */
    public static BackendRequest initialBackend(ApiDefinition api, HandshakeRequest request) {
        String gateway = api.gateways().isEmpty() ? "test" : api.gateways().get(0);
        String rest = ApiCatalog.of(gateway, List.of(api)).route(request.path())
                .map(ApiCatalog.Route::restPath).orElse("");
        return BackendRequests.initial(api, request, rest);
    }

    /**
     * Runs policies one after the other, as one onHandshake list (no scope resolution), and waits.
     *
     * @param policies   the policies, in order; no {@code base} marker
     * @param api        the API the policies see
     * @param request    the client's request
     * @param requestId  the handshake's id
     * @param attributes the attributes before the first policy
     * @param timeout    how long to wait for the chain; when it passes, the result is a failure by {@link #TIMEOUT}
     * @return the result
     * @throws IllegalArgumentException when a policy is a {@code base} marker
     */
    public static ChainResult run(List<HandshakePolicy> policies, ApiDefinition api, HandshakeRequest request,
                                  String requestId, Map<String, Object> attributes, Duration timeout) {
        for (HandshakePolicy p : policies) {
            if (Policies.isBase(p)) {
                throw new IllegalArgumentException("a base marker is resolved by PolicyCatalog; run an EffectiveChain instead");
            }
        }
        var stage = ChainRunner.run(policies, requestId, request, api, initialBackend(api, request), attributes)
                .toCompletableFuture();
        try {
            return stage.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return new ChainResult.Failed(new TimeoutException("the chain did not complete within " + timeout), TIMEOUT,
                    attributes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the chain", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the chain runner failed", e.getCause());
        }
    }

    /**
     * Selects the request's chain by its subscription key and runs it, as the gateway does.
     *
     * @param chains     an API's resolved chains; the policies see their API
     * @param request    the client's request
     * @param requestId  the handshake's id
     * @param attributes the attributes before the first policy (the selection's are added)
     * @param timeout    how long to wait for the chain
     * @return the result; a refused subscription is a rejection by {@link #SUBSCRIPTION}
     */
    public static ChainResult run(ApiChains chains, HandshakeRequest request, String requestId,
                                  Map<String, Object> attributes, Duration timeout) {
        ProductSelection selection = chains.select(request);
        if (selection instanceof ProductSelection.Refused refused) {
            return new ChainResult.Rejected(refused.rejection(), SUBSCRIPTION, attributes);
        }
        ProductSelection.Selected selected = (ProductSelection.Selected) selection;
        Map<String, Object> initial = new HashMap<>(attributes);
        initial.putAll(selected.attributes());
        return run(selected.chain().policies(), chains.api(), request, requestId, initial, timeout);
    }
}
