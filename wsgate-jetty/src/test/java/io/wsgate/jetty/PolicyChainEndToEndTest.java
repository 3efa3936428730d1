package io.wsgate.jetty;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.core.GatewayConfig;
import io.wsgate.core.policy.Policies;
import io.wsgate.core.policy.PolicyCatalog;
import io.wsgate.core.policy.ProductDefinition;
import io.wsgate.core.policy.limit.ConnectionLimiter;
import io.wsgate.core.policy.limit.RateKey;
import io.wsgate.core.policy.network.CheckHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Scopes and inheritance, failing policies and connection limits over real handshakes through the gateway. */
@ParameterizedClass(name = "{0}")
@EnumSource(Mount.class)
class PolicyChainEndToEndTest extends PolicyTestBase {

    PolicyChainEndToEndTest(Mount mount) {
        super(mount);
    }

    /** Appends its name to the backend handshake's {@code X-Trace} header, so the backend sees the order of the chain. */
    private static HandshakePolicy trace(String name) {
        return HandshakePolicy.of(name, ctx -> HandshakeDecision.proceed().withHeader("X-Trace",
                ctx.backend().headers().first("X-Trace").map(v -> v + "," + name).orElse(name)));
    }

    private String traceOf(String path) throws Exception {
        RecordingClient c = connect(path, Map.of());
        String trace = seen().header("X-Trace");
        echoAndClose(c);
        return trace;
    }

    @Test
    void theBaseMarkerPlacesTheEnclosingChainFirstInTheMiddleOrLastAndItsAbsenceRunsItFirst() throws Exception {
        ProductDefinition product = ProductDefinition.builder("p").subscriptionRequired(false).policies(trace("p")).build();
        PolicyCatalog catalog = PolicyCatalog.builder().global(trace("g")).product(product).build();
        startGateway(GatewayConfig.builder().policies(catalog).api(
                api("none", "/none", "/backend").products("p").policies(trace("a")).onHandshake(trace("o1")).build(),
                api("first", "/first", "/backend").products("p").policies(trace("a"))
                        .onHandshake(Policies.base(), trace("o1")).build(),
                api("middle", "/middle", "/backend").products("p").policies(trace("a"))
                        .onHandshake(trace("o1"), Policies.base(), trace("o2")).build(),
                api("last", "/last", "/backend").products("p").policies(trace("a"))
                        .onHandshake(trace("o1"), Policies.base()).build()).build());

        assertThat(traceOf("/none")).isEqualTo("g,p,a,o1");
        assertThat(traceOf("/first")).isEqualTo("g,p,a,o1");
        assertThat(traceOf("/middle")).isEqualTo("o1,g,p,a,o2");
        assertThat(traceOf("/last")).isEqualTo("o1,g,p,a");
    }

    @Test
    void baseMarkersInEveryScopeNestTheChains() throws Exception {
        ProductDefinition product = ProductDefinition.builder("p").subscriptionRequired(false)
                .policies(trace("p1"), Policies.base(), trace("p2")).build();
        PolicyCatalog catalog = PolicyCatalog.builder().global(trace("g")).product(product).build();
        startGateway(GatewayConfig.builder().policies(catalog).api(
                api("nested", "/nested", "/backend").products("p").policies(trace("a1"), Policies.base(), trace("a2"))
                        .onHandshake(trace("o1"), Policies.base(), trace("o2")).build(),
                api("alone", "/alone", "/backend").onHandshake(trace("o1")).build()).build());

        assertThat(traceOf("/nested")).isEqualTo("o1,a1,p1,g,p2,a2,o2");
        assertThat(traceOf("/alone")).isEqualTo("g,o1");
    }

    @Test
    void aRejectionInTheGlobalScopeStopsTheChainBeforeTheApisPolicies() throws Exception {
        AtomicInteger apiPolicyRuns = new AtomicInteger();
        PolicyCatalog catalog = PolicyCatalog.builder().global(CheckHeader.builder("X-Key").build()).build();
        startGateway(GatewayConfig.builder().policies(catalog).api(api("chat", "/chat", "/backend")
                .onHandshake(HandshakePolicy.of("count", ctx -> {
                    apiPolicyRuns.incrementAndGet();
                    return HandshakeDecision.proceed();
                })).build()).build());

        assertRefused(raw(upgradeRequest("/chat")), 403, "HEADER_FORBIDDEN");
        assertThat(apiPolicyRuns).hasValue(0);
    }

    // ---- failing policies

    @Test
    void aPolicyThatThrowsGives500WithTheRequestIdAndNoDetail() throws Exception {
        startGateway(GatewayConfig.builder().api(api("chat", "/chat", "/backend").onHandshake(HandshakePolicy.of("boom", ctx -> {
            throw new IllegalStateException("database at 10.0.0.7 is down");
        })).build()).build());

        RawResponse r = raw(upgradeRequest("/chat"));

        assertRefused(r, 500, "POLICY_ERROR");
        assertThat(r.body()).doesNotContain("10.0.0.7").doesNotContain("IllegalStateException").doesNotContain("at io.");
    }

    @Test
    void aPolicyWhoseStageFailsGives500() throws Exception {
        startGateway(GatewayConfig.builder().api(api("chat", "/chat", "/backend").onHandshake(
                (HandshakePolicy) ctx -> CompletableFuture.failedFuture(new IllegalStateException("no"))).build()).build());

        assertRefused(raw(upgradeRequest("/chat")), 500, "POLICY_ERROR");
    }

    @Test
    void aPolicyThatNeverDecidesGivesPolicyErrorAfterThePolicyTimeoutAndHoldsNoPermit() throws Exception {
        List<CompletableFuture<HandshakeDecision>> late = new ArrayList<>();
        ConnectionLimiter limiter = ConnectionLimiter.builder().perGateway(1).build();
        ApiDefinition hanging = api("hanging", "/hanging", "/backend").onHandshake((HandshakePolicy) ctx -> {
            CompletableFuture<HandshakeDecision> f = new CompletableFuture<>();
            synchronized (late) {
                late.add(f);
            }
            return f;
        }).build();
        startGateway(GatewayConfig.builder().policyTimeout(Duration.ofMillis(300)).connectionLimits(limiter)
                .api(hanging, api("chat", "/chat", "/backend").build()).build());

        RawResponse r = raw(upgradeRequest("/hanging"));
        synchronized (late) {
            late.forEach(f -> f.complete(HandshakeDecision.proceed())); // decides after the client got its answer
        }

        assertRefused(r, 500, "POLICY_ERROR");
        assertThat(limiter.active()).isZero();
        RecordingClient c = connect("/chat", Map.of()); // the only permit is free
        seen();
        echoAndClose(c);
        assertThat(backend.handshakes).isEmpty();
    }

    // ---- connection limits under mixed outcomes

    @Test
    void connectionPermitsReturnToZeroAfterHundredsOfMixedOutcomes() throws Exception {
        int unusedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            unusedPort = s.getLocalPort();
        }
        ConnectionLimiter limiter = ConnectionLimiter.builder().perGateway(40).perApi(20)
                .perKey(3, RateKey.header("X-Id")).build();
        startGateway(GatewayConfig.builder().connectionLimits(limiter).api(
                api("echo", "/echo", "/backend").onHandshake(CheckHeader.builder("X-Id").build()).build(),
                api("refusing", "/refusing", "/status/403").build(),
                api("down", "/down", "/x").backend("ws://127.0.0.1:" + unusedPort + "/x").build()).build());

        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                int n = i;
                done.add(pool.submit(() -> {
                    int status = switch (n % 6) {
                        case 0 -> { // echoed and closed by the client
                            RecordingClient c = connect("/echo", Map.of("X-Id", "k" + (n % 5)));
                            echoAndClose(c);
                            yield 101;
                        }
                        case 1 -> raw(upgradeRequest("/echo")).status(); // refused by the policy, before any permit
                        case 2 -> raw(upgradeRequest("/refusing")).status(); // the backend refuses after admission
                        case 3 -> raw(upgradeRequest("/down")).status(); // the backend is unreachable after admission
                        case 4 -> raw(upgradeRequest("/echo", "X-Id: k" + (n % 5))).status(); // 101, then the client vanishes
                        default -> { // the backend closes the pair
                            RecordingClient c = connect("/echo", Map.of("X-Id", "k" + (n % 7)));
                            c.sendText("close:4000:backend done");
                            yield c.awaitClosed().getCode() == 4000 ? 101 : -1;
                        }
                    };
                    statuses.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
                    return null;
                }));
            }
            for (Future<?> f : done) {
                try {
                    f.get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    // a connect refused by the limit (429) fails the client's upgrade: counted as such
                    statuses.computeIfAbsent(429, k -> new AtomicInteger()).incrementAndGet();
                }
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(statuses.keySet()).contains(101, 403, 502).doesNotContain(-1, 500);
        assertThat(statuses.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(300);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(limiter.active()).isZero();
            assertThat(limiter.active("echo")).isZero();
            assertThat(limiter.activeKeys()).isZero();
        });
        backend.handshakes.clear();
    }
}
