package io.wsgate.core.file;

import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.core.GatewayConfig;
import io.wsgate.core.ReloadResult;
import io.wsgate.core.config.PolicyFactory;
import io.wsgate.core.policy.limit.ConnectionLimiter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Which policy instances a reload keeps (with their state) and which it starts fresh. */
class ReloadReuseTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-01-01T12:00:00Z"), ZoneOffset.UTC);

    /** The gateway's limits, a product's and two APIs' policies; %s stand for what each test changes. */
    private static final String FILE = """
            gateway:
              trustedProxies: [%s]
              connectionLimits: { perKey: %s, key: client-ip }
              policies:
                - rate-limit-by-key: { permits: 10, period: 1m }
            products:
              - name: gold
                subscriptionKeys: [k1]
                policies:
                  - quota-by-key: { permits: 100, period: 1d, key: subscription }
            apis:
              - name: chat
                backendUrl: ws://127.0.0.1:9/
                urlSuffix: /chat
                products: [gold]
                onHandshake:
                  - rate-limit-by-key: { permits: %s, period: 1m }
              - name: echo
                backendUrl: %s
                urlSuffix: /echo
            """;

    @TempDir
    Path dir;

    private final AtomicInteger made = new AtomicInteger();
    private final GatewayFileLoader loader = GatewayFiles.loader().withClock(CLOCK)
            .withFactory(PolicyFactory.of("counted", o -> {
                made.incrementAndGet();
                String label = o.requireText("label");
                return HandshakePolicy.of("counted-" + label, ctx -> HandshakeDecision.proceed());
            }));
    private ReloadingGatewayFile file;

    @AfterEach
    void close() {
        if (file != null) {
            file.close();
        }
    }

    private Path write(String yaml) throws IOException {
        Path f = dir.resolve("gateway.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private static String file(String proxies, int perKey, int chatPermits, String echoBackend) {
        return FILE.formatted(proxies, perKey, chatPermits, echoBackend);
    }

    private GatewayConfig reload(String yaml) throws IOException {
        write(yaml);
        ReloadResult r = file.reload();
        assertThat(r.outcome()).as(r.message()).isEqualTo(ReloadResult.Outcome.APPLIED);
        return file.config();
    }

    private static HandshakePolicy global(GatewayConfig c, int i) {
        return c.policies().global().get(i);
    }

    private static HandshakePolicy product(GatewayConfig c) {
        return c.policies().products().get("gold").policies().get(0);
    }

    private static HandshakePolicy onHandshake(GatewayConfig c, String api, int i) {
        return c.apis().stream().filter(a -> a.name().equals(api)).findFirst().orElseThrow().onHandshake().get(i);
    }

    private static ConnectionLimiter limiter(GatewayConfig c) {
        return c.connectionLimiter().orElseThrow();
    }

    @Test
    void aReloadThatChangesAnUnrelatedApiKeepsEveryLimitInstance() throws IOException {
        file = loader.reloadable(write(file("10.0.0.0/8", 2, 5, "ws://127.0.0.1:9/")));
        GatewayConfig before = file.config();

        GatewayConfig after = reload(file("10.0.0.0/8", 2, 5, "ws://127.0.0.1:10/"));

        assertThat(after).isNotSameAs(before);
        assertThat(after.apis().get(1).backendUrl()).hasToString("ws://127.0.0.1:10/");
        assertThat(global(after, 0)).isSameAs(global(before, 0));
        assertThat(product(after)).isSameAs(product(before));
        assertThat(onHandshake(after, "chat", 0)).isSameAs(onHandshake(before, "chat", 0));
        assertThat(limiter(after)).isSameAs(limiter(before));
        assertThat(file.lastReload().orElseThrow().message()).contains("4 policies and limits kept their state, 0 started fresh");
    }

    @Test
    void aChangedValueStartsThatPolicyFreshAndKeepsTheOthers() throws IOException {
        file = loader.reloadable(write(file("10.0.0.0/8", 2, 5, "ws://127.0.0.1:9/")));
        GatewayConfig before = file.config();

        GatewayConfig after = reload(file("10.0.0.0/8", 3, 6, "ws://127.0.0.1:9/"));

        assertThat(onHandshake(after, "chat", 0)).isNotSameAs(onHandshake(before, "chat", 0));
        assertThat(limiter(after)).isNotSameAs(limiter(before));
        assertThat(global(after, 0)).isSameAs(global(before, 0));
        assertThat(product(after)).isSameAs(product(before));
    }

    @Test
    void aChangeOfTheTrustedProxiesStartsEveryPolicyFresh() throws IOException {
        file = loader.reloadable(write(file("10.0.0.0/8", 2, 5, "ws://127.0.0.1:9/")));
        GatewayConfig before = file.config();

        GatewayConfig after = reload(file("192.168.0.0/16", 2, 5, "ws://127.0.0.1:9/"));

        assertThat(global(after, 0)).isNotSameAs(global(before, 0));
        assertThat(product(after)).isNotSameAs(product(before));
        assertThat(limiter(after)).isNotSameAs(limiter(before));
    }

    @Test
    void anEntryMovedInItsScopeOrWrittenInAnotherKeyOrderIsKept() throws IOException {
        file = loader.reloadable(write("""
                gateway:
                  policies:
                    - check-header: { name: X-A, values: [a] }
                    - rate-limit-by-key: { permits: 10, period: 1m, key: { header: X-User } }
                apis:
                  - name: chat
                    backendUrl: ws://127.0.0.1:9/
                    policies:
                      - quota-by-key: { permits: 3, period: 1h }
                """));
        GatewayConfig before = file.config();

        GatewayConfig after = reload("""
                gateway:
                  policies:
                    - rate-limit-by-key:
                        key: { header: X-User }
                        period: 1m
                        permits: 10
                    - check-header: { name: X-A, values: [a] }
                apis:
                  - name: chat
                    backendUrl: ws://127.0.0.1:9/
                    onHandshake:
                      - quota-by-key: { period: 1h, permits: 3 }
                """);

        assertThat(global(after, 0)).isSameAs(global(before, 1));
        assertThat(global(after, 1)).isSameAs(global(before, 0));
        assertThat(onHandshake(after, "chat", 0)).isSameAs(before.apis().get(0).policies().get(0));
    }

    @Test
    void theSameEntryInAnotherScopeStartsFresh() throws IOException {
        String api = """
                  - name: %s
                    backendUrl: ws://127.0.0.1:9/
                    urlSuffix: /%s
                """;
        String limit = """
                    onHandshake:
                      - rate-limit-by-key: { permits: 1, period: 1m }
                """;
        file = loader.reloadable(write("apis:\n" + api.formatted("a", "a") + limit + api.formatted("b", "b")));
        HandshakePolicy inA = onHandshake(file.config(), "a", 0);

        GatewayConfig after = reload("apis:\n" + api.formatted("a", "a") + api.formatted("b", "b") + limit);

        assertThat(onHandshake(after, "b", 0)).isNotSameAs(inA);
    }

    @Test
    void equalEntriesOfOneScopeKeepTheirOwnInstancesInOrder() throws IOException {
        String twice = """
                gateway:
                  policies:
                    - rate-limit-by-key: { permits: 1, period: 1s }
                    - rate-limit-by-key: { permits: 1, period: 1s }
                apis:
                  - { name: chat, backendUrl: "ws://127.0.0.1:%d/" }
                """;
        file = loader.reloadable(write(twice.formatted(9)));
        GatewayConfig before = file.config();

        GatewayConfig after = reload(twice.formatted(10));

        assertThat(global(after, 0)).isSameAs(global(before, 0));
        assertThat(global(after, 1)).isSameAs(global(before, 1));
        assertThat(global(after, 0)).isNotSameAs(global(after, 1));
    }

    @Test
    void aRemovedPolicyIsDroppedWithItsStateAndComesBackFresh() throws IOException {
        String with = file("10.0.0.0/8", 2, 5, "ws://127.0.0.1:9/");
        file = loader.reloadable(write(with));
        HandshakePolicy first = global(file.config(), 0);

        GatewayConfig without = reload(with.replace("  policies:\n    - rate-limit-by-key: { permits: 10, period: 1m }\n", ""));
        GatewayConfig back = reload(with);

        assertThat(without.policies().global()).isEmpty();
        assertThat(global(back, 0)).isNotSameAs(first);
    }

    @Test
    void aCustomPolicyWithEqualOptionsIsKeptWithoutCallingItsFactoryAgain() throws IOException {
        String custom = """
                apis:
                  - name: chat
                    backendUrl: ws://127.0.0.1:9/
                    onHandshake:
                      - counted: { label: %s }
                  - { name: echo, backendUrl: "ws://127.0.0.1:%d/", urlSuffix: /echo }
                """;
        file = loader.reloadable(write(custom.formatted("one", 9)));
        HandshakePolicy first = onHandshake(file.config(), "chat", 0);

        GatewayConfig same = reload(custom.formatted("one", 10));
        assertThat(made).hasValue(1);
        assertThat(onHandshake(same, "chat", 0)).isSameAs(first);

        GatewayConfig changed = reload(custom.formatted("two", 10));
        assertThat(made).hasValue(2);
        assertThat(onHandshake(changed, "chat", 0).name()).isEqualTo("counted-two");
    }

    @Test
    void aFailedReloadOffersTheInstancesInForceToTheNextOne() throws IOException {
        file = loader.reloadable(write(file("10.0.0.0/8", 2, 5, "ws://127.0.0.1:9/")));
        GatewayConfig before = file.config();

        write(file("10.0.0.0/8", 2, 5, "not a url"));
        assertThat(file.reload().outcome()).isEqualTo(ReloadResult.Outcome.FAILED);
        GatewayConfig after = reload(file("10.0.0.0/8", 2, 5, "ws://127.0.0.1:11/"));

        assertThat(global(after, 0)).isSameAs(global(before, 0));
        assertThat(limiter(after)).isSameAs(limiter(before));
        assertThat(onHandshake(after, "chat", 0)).isSameAs(onHandshake(before, "chat", 0));
    }

    @Test
    void twoLoadsOfOneFileWithoutReloadShareNothing() throws IOException {
        Path f = write(file("10.0.0.0/8", 2, 5, "ws://127.0.0.1:9/"));

        GatewayConfig one = loader.load(f);
        GatewayConfig two = loader.load(f);

        assertThat(global(two, 0)).isNotSameAs(global(one, 0));
        assertThat(limiter(two)).isNotSameAs(limiter(one));
    }
}
