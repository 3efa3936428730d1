package io.wsgate.testing;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.BackendRequest;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.internal.handshake.StandaloneChain;
import io.wsgate.core.internal.policy.ChainResult;
import io.wsgate.core.policy.ApiChains;
import io.wsgate.core.policy.EffectiveChain;
import io.wsgate.core.policy.PolicyCatalog;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs one policy, a list of policies or an API's effective chain on a handshake request, without a
 * server, the way the gateway does: each policy sees the backend request and attributes the previous ones
 * left, a rejection stops the chain, a throwing or failing policy gives {@link ChainOutcome.Failed}.
 *
 * <pre>{@code
 * PolicyTester tester = PolicyTester.create();
 * ChainOutcome out = tester.run(myPolicy, HandshakeRequest.builder().header("X-Tenant", "a").build());
 * assertThat(out).isInstanceOf(ChainOutcome.Admitted.class);
 * BackendRequest sent = tester.admitted(out).backend();
 * }</pre>
 *
 * <p>The initial backend request is the one the gateway itself would build: the API's backend URL with the
 * rest of the request's path and its query, the end-to-end headers plus the forwarding headers, and the
 * offered subprotocols. Immutable: the {@code with...} methods return a new tester.
 */
public final class PolicyTester {

    /** The API a tester uses unless given one: {@code test}, backend {@code ws://backend.test:8080/}. */
    public static final ApiDefinition TEST_API = ApiDefinition.builder("test").backend("ws://backend.test:8080/").build();

    private final ApiDefinition api;
    private final Map<String, Object> attributes;
    private final Duration timeout;
    private final String requestId;

    private PolicyTester(ApiDefinition api, Map<String, Object> attributes, Duration timeout, String requestId) {
        this.api = api;
        this.attributes = Map.copyOf(attributes);
        this.timeout = timeout;
        this.requestId = requestId;
    }

    /** @return a tester for {@link #TEST_API} */
    public static PolicyTester create() {
        return new PolicyTester(TEST_API, Map.of(), Duration.ofSeconds(5), "test-request");
    }

    /**
     * @param api the API the policies see
     * @return a tester for it
     */
    public static PolicyTester forApi(ApiDefinition api) {
        return create().withApi(api);
    }

    /** @return this tester for another API */
    public PolicyTester withApi(ApiDefinition api) {
        return new PolicyTester(Objects.requireNonNull(api, "api"), attributes, timeout, requestId);
    }

    /** @return this tester starting the chain with one more attribute (e.g. claims an earlier policy would leave) */
    public PolicyTester withAttribute(String name, Object value) {
        Map<String, Object> map = new HashMap<>(attributes);
        map.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new PolicyTester(api, map, timeout, requestId);
    }

    /** @return this tester waiting at most that long for an asynchronous policy (default 5 s) before failing */
    public PolicyTester withTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        return new PolicyTester(api, attributes, timeout, requestId);
    }

    /** @return this tester with another request id */
    public PolicyTester withRequestId(String requestId) {
        return new PolicyTester(api, attributes, timeout, Objects.requireNonNull(requestId, "requestId"));
    }

    /**
     * Called by a test, on its thread.
     *
     * @param request a client request
     * @return the backend request the chain starts from
     */
    public BackendRequest initialBackendRequest(HandshakeRequest request) {
        return StandaloneChain.initialBackend(api, request);
    }

    /**
     * Runs one policy, on the calling thread (an asynchronous policy's stage is awaited up to the timeout).
     *
     * @param policy  the policy
     * @param request the client request
     * @return the outcome
     */
    public ChainOutcome run(HandshakePolicy policy, HandshakeRequest request) {
        return run(List.of(policy), request);
    }

    /**
     * Runs policies one after the other, as one onHandshake list (no scope resolution).
     *
     * @param policies the policies, in order
     * @param request  the client request
     * @return the outcome
     * @throws IllegalArgumentException when a policy is a {@code base} marker (run an {@link EffectiveChain})
     */
    public ChainOutcome run(List<HandshakePolicy> policies, HandshakeRequest request) {
        return outcome(StandaloneChain.run(policies, api, request, requestId, attributes, timeout));
    }

    /**
     * Runs an effective chain (its steps that run, in order).
     *
     * @param chain   the chain, e.g. from {@link ApiChains#withoutProduct()}
     * @param request the client request
     * @return the outcome
     */
    public ChainOutcome run(EffectiveChain chain, HandshakeRequest request) {
        return run(chain.policies(), request);
    }

    /**
     * Selects the request's chain by its subscription key and runs it, as the gateway does; the tester runs
     * with the chains' API.
     *
     * @param chains  an API's chains from {@link PolicyCatalog#resolve(ApiDefinition)}
     * @param request the client request
     * @return the outcome; a refused subscription is a {@link ChainOutcome.Rejected} by {@code subscription}
     */
    public ChainOutcome run(ApiChains chains, HandshakeRequest request) {
        return outcome(StandaloneChain.run(chains, request, requestId, attributes, timeout));
    }

    /**
     * @param outcome an outcome
     * @return it as admitted
     * @throws AssertionError naming what happened instead
     */
    public ChainOutcome.Admitted admitted(ChainOutcome outcome) {
        if (outcome instanceof ChainOutcome.Admitted a) {
            return a;
        }
        throw new AssertionError("expected the handshake to be admitted, but it was " + describe(outcome));
    }

    /**
     * @param outcome an outcome
     * @return it as rejected
     * @throws AssertionError naming what happened instead
     */
    public ChainOutcome.Rejected rejected(ChainOutcome outcome) {
        if (outcome instanceof ChainOutcome.Rejected r) {
            return r;
        }
        throw new AssertionError("expected the handshake to be rejected, but it was " + describe(outcome));
    }

    private static ChainOutcome outcome(ChainResult result) {
        if (result instanceof ChainResult.Admitted a) {
            return new ChainOutcome.Admitted(a.backend(), a.attributes());
        }
        if (result instanceof ChainResult.Rejected r) {
            return new ChainOutcome.Rejected(r.rejection(), r.policy(), r.attributes());
        }
        ChainResult.Failed f = (ChainResult.Failed) result;
        return new ChainOutcome.Failed(f.cause(), f.policy(), f.attributes());
    }

    private static String describe(ChainOutcome outcome) {
        if (outcome instanceof ChainOutcome.Rejected r) {
            return "rejected by '" + r.policy() + "' with " + r.rejection().status() + " " + r.rejection().code();
        }
        if (outcome instanceof ChainOutcome.Failed f) {
            return "failed in '" + f.policy() + "': " + f.cause();
        }
        return "admitted";
    }
}
