package io.wsgate.core.policy;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.BackendRequest;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.internal.handshake.StandaloneChain;
import io.wsgate.core.internal.policy.ChainResult;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs policies on a request for core's own tests, over {@link StandaloneChain}, the runner {@code PolicyTester}
 * of wsgate-testing is built on (core's tests cannot depend on wsgate-testing: it depends on core).
 *
 * @param api        the API the policies see
 * @param attributes the attributes the chain starts with
 */
public record TestChains(ApiDefinition api, Map<String, Object> attributes) {

    /** The API a chain runs with unless given one: {@code test}, backend {@code ws://backend.test:8080/}. */
    public static final ApiDefinition TEST_API = ApiDefinition.builder("test").backend("ws://backend.test:8080/").build();

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String REQUEST_ID = "test-request";

    /** Copies the attributes. */
    public TestChains {
        attributes = Map.copyOf(attributes);
    }

    public static TestChains create() {
        return forApi(TEST_API);
    }

    public static TestChains forApi(ApiDefinition api) {
        return new TestChains(api, Map.of());
    }

    public TestChains withAttribute(String name, Object value) {
        Map<String, Object> more = new HashMap<>(attributes);
        more.put(name, value);
        return new TestChains(api, more);
    }

    public BackendRequest initialBackendRequest(HandshakeRequest request) {
        return StandaloneChain.initialBackend(api, request);
    }

    public ChainResult run(HandshakePolicy policy, HandshakeRequest request) {
        return run(List.of(policy), request);
    }

    public ChainResult run(List<HandshakePolicy> policies, HandshakeRequest request) {
        return StandaloneChain.run(policies, api, request, REQUEST_ID, attributes, TIMEOUT);
    }

    public ChainResult run(ApiChains chains, HandshakeRequest request) {
        return StandaloneChain.run(chains, request, REQUEST_ID, attributes, TIMEOUT);
    }

    public ChainResult.Admitted admitted(ChainResult result) {
        assertThat(result).as("the chain's result").isInstanceOf(ChainResult.Admitted.class);
        return (ChainResult.Admitted) result;
    }

    public ChainResult.Rejected rejected(ChainResult result) {
        assertThat(result).as("the chain's result").isInstanceOf(ChainResult.Rejected.class);
        return (ChainResult.Rejected) result;
    }
}
