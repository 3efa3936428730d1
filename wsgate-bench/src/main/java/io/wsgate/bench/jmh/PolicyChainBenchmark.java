package io.wsgate.bench.jmh;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.wsgate.api.ApiDefinition;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.policy.EffectiveChain;
import io.wsgate.core.policy.PolicyCatalog;
import io.wsgate.core.policy.jwt.JwtAlgorithm;
import io.wsgate.core.policy.jwt.JwtKey;
import io.wsgate.core.policy.jwt.JwtValidation;
import io.wsgate.core.policy.network.CheckHeader;
import io.wsgate.core.policy.network.IpFilter;
import io.wsgate.testing.ChainOutcome;
import io.wsgate.testing.PolicyTester;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

/**
 * One evaluation of an API's effective onHandshake chain as the gateway resolves it (global IP
 * filter, then the API's header check), without and with JWT validation (HS256) at the API scope.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PolicyChainBenchmark {

    private static final String SECRET = "wsgate-bench-secret-0123456789abcdef0123";

    private PolicyTester plainTester;
    private PolicyTester jwtTester;
    private EffectiveChain plain;
    private EffectiveChain withJwt;
    private HandshakeRequest request;

    /** Resolves both chains once, as the gateway does per configuration change. */
    @Setup
    public void setUp() {
        PolicyCatalog catalog = PolicyCatalog.builder()
                .global(IpFilter.builder().forbid("10.0.0.0/8", "192.168.0.0/16").build())
                .build();
        ApiDefinition plainApi = ApiDefinition.builder("plain").backend("ws://127.0.0.1:9/echo").urlSuffix("/echo")
                .onHandshake(CheckHeader.builder("X-Tenant").build())
                .build();
        ApiDefinition jwtApi = ApiDefinition.builder("jwt").backend("ws://127.0.0.1:9/echo").urlSuffix("/echo")
                .onHandshake(CheckHeader.builder("X-Tenant").build(),
                        JwtValidation.builder().key(JwtKey.hmac(JwtAlgorithm.HS256, SECRET))
                                .issuers("wsgate-bench").audiences("wsgate").build())
                .build();
        plain = catalog.resolve(plainApi).withoutProduct();
        withJwt = catalog.resolve(jwtApi).withoutProduct();
        plainTester = PolicyTester.forApi(plainApi);
        jwtTester = PolicyTester.forApi(jwtApi);
        String token = JWT.create().withIssuer("wsgate-bench").withAudience("wsgate").withSubject("bench")
                .withExpiresAt(Instant.now().plus(1, ChronoUnit.DAYS)).sign(Algorithm.HMAC256(SECRET));
        request = HandshakeRequest.builder().method("GET").path("/echo")
                .header("Host", "127.0.0.1:8080")
                .header("Upgrade", "websocket")
                .header("Connection", "Upgrade")
                .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .header("Sec-WebSocket-Version", "13")
                .header("X-Tenant", "acme")
                .header("Authorization", "Bearer " + token)
                .clientAddress(new InetSocketAddress("127.0.0.1", 40000))
                .build();
        if (!(plainTester.run(plain, request) instanceof ChainOutcome.Admitted)
                || !(jwtTester.run(withJwt, request) instanceof ChainOutcome.Admitted)) {
            throw new IllegalStateException("the benchmark's request must be admitted by both chains");
        }
    }

    /** @return the outcome (admitted) */
    @Benchmark
    public ChainOutcome withoutJwt() {
        return plainTester.run(plain, request);
    }

    /** @return the outcome (admitted) */
    @Benchmark
    public ChainOutcome withJwt() {
        return jwtTester.run(withJwt, request);
    }
}
