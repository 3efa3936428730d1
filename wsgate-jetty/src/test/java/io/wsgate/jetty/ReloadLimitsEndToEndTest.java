package io.wsgate.jetty;

import io.wsgate.core.file.GatewayFiles;
import io.wsgate.core.policy.limit.ConnectionLimiter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The limits' state survives a reload that leaves them unchanged, and a changed limit starts fresh. */
@ParameterizedClass(name = "{0}")
@EnumSource(Mount.class)
class ReloadLimitsEndToEndTest extends ReloadTestBase {

    /** A per-key connection limit and a rate limit on chat, both keyed by X-User; %s: echo's backend path. */
    private static final String LIMITS = """
            gateway:
              connectionLimits: { perKey: %d, key: { header: X-User } }
            apis:
              - name: chat
                backendUrl: BACKEND/chat
                urlSuffix: /chat
              - name: rated
                backendUrl: BACKEND/rated
                urlSuffix: /rated
                onHandshake:
                  - rate-limit-by-key: { permits: %d, period: 1h, key: { header: X-User } }
              - name: echo
                backendUrl: BACKEND%s
                urlSuffix: /echo
            """;

    private static final Map<String, String> ANN = Map.of("X-User", "ann");
    private static final Map<String, String> BOB = Map.of("X-User", "bob");

    ReloadLimitsEndToEndTest(Mount mount) {
        super(mount);
    }

    private static String limits(int perKey, int permits, String echoPath) {
        return LIMITS.formatted(perKey, permits, echoPath);
    }

    private void start(String yaml) throws Exception {
        write(yaml);
        startGateway(GatewayFiles.loader().reloadable(path()));
    }

    private RawResponse annTries(String path) throws Exception {
        return raw(upgradeRequest(path, "X-User: ann"));
    }

    private ConnectionLimiter limiter() {
        return file.config().connectionLimiter().orElseThrow();
    }

    @Test
    void aClientAtItsConnectionLimitIsStillRefusedAfterAReloadOfAnUnrelatedApi() throws Exception {
        start(limits(2, 5, "/one"));
        RecordingClient first = connect("/chat", ANN);
        RecordingClient second = connect("/chat", ANN);
        seen();
        seen();
        assertRefused(annTries("/chat"), 429, "CONNECTION_LIMIT");

        reloadTo(limits(2, 5, "/two"));

        assertRefused(annTries("/chat"), 429, "CONNECTION_LIMIT");
        assertThat(limiter().active()).isEqualTo(2);
        RecordingClient bob = connect("/echo", BOB);
        assertThat(seen().path()).isEqualTo("/two");
        echoAndClose(bob);
        echoAndClose(first);
        await().atMost(Duration.ofSeconds(10)).until(() -> limiter().active() == 1);
        RecordingClient again = connect("/chat", ANN);
        seen();
        echoAndClose(again);
        echoAndClose(second);
        await().atMost(Duration.ofSeconds(10)).until(() -> limiter().active() == 0);
    }

    @Test
    void aClientWithAnEmptyBucketIsStillRateLimitedAfterAReloadOfAnUnrelatedApi() throws Exception {
        start(limits(0, 2, "/one"));
        for (int i = 0; i < 2; i++) {
            RecordingClient c = connect("/rated", ANN);
            seen();
            echoAndClose(c);
        }
        assertRefused(annTries("/rated"), 429, "RATE_LIMITED");

        reloadTo(limits(0, 2, "/two"));
        assertRefused(annTries("/rated"), 429, "RATE_LIMITED");

        reloadTo(limits(0, 3, "/two"));
        RecordingClient fresh = connect("/rated", ANN);
        seen();
        echoAndClose(fresh);
    }

    @Test
    void aChangedConnectionLimitStartsFreshAndOldPairsReleaseTheirPermitsToTheLimiterThatGrantedThem() throws Exception {
        start(limits(1, 5, "/one"));
        RecordingClient old = connect("/chat", ANN);
        seen();
        ConnectionLimiter before = limiter();
        assertRefused(annTries("/chat"), 429, "CONNECTION_LIMIT");

        reloadTo(limits(2, 5, "/one"));
        ConnectionLimiter after = limiter();
        assertThat(after).isNotSameAs(before);
        assertThat(after.active()).isZero();
        RecordingClient a = connect("/chat", ANN);
        RecordingClient b = connect("/chat", ANN);
        seen();
        seen();
        assertRefused(annTries("/chat"), 429, "CONNECTION_LIMIT");

        echoAndClose(old);
        await().atMost(Duration.ofSeconds(10)).until(() -> before.active() == 0);
        assertThat(after.active()).isEqualTo(2);
        assertRefused(annTries("/chat"), 429, "CONNECTION_LIMIT");
        echoAndClose(a);
        echoAndClose(b);
        await().atMost(Duration.ofSeconds(10)).until(() -> after.active() == 0);
        assertThat(before.active()).isZero();
    }

    @Test
    void aRemovedApisPairsKeepRunningAndItsNewHandshakesGet404() throws Exception {
        start(limits(0, 5, "/one"));
        RecordingClient echo = connect("/echo", BOB);
        seen();

        reloadTo(limits(0, 5, "/one").substring(0, limits(0, 5, "/one").indexOf("  - name: echo")));

        assertThat(annTries("/echo").status()).isEqualTo(404);
        assertThat(gateway.gateway().openPairs()).isEqualTo(1);
        echoAndClose(echo);
    }
}
