package io.wsgate.redis;

import io.wsgate.redis.internal.RedisKeys;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two gateways, each with a Redis client of its own, limit together as one would. */
class SharedLimitsTest extends RedisTestBase {

    /** The client-ip key of a loopback client, as the policies write it (the address's bytes in hex). */
    private static final String LOOPBACK = "7f000001";

    private static void echoAndClose(TestClient c) throws Exception {
        c.sendText("hello");
        assertThat(c.nextText()).isEqualTo("hello");
        c.closeNormally();
    }

    @Test
    void twoGatewaysShareARateLimitExactly() throws Exception {
        String file = yaml("  policies:\n    - rate-limit-by-key: {permits: 4, period: 1h, key: client-ip}\n", "");
        Gw a = startGateway(file);
        Gw b = startGateway(file);

        for (int i = 0; i < 4; i++) {
            echoAndClose(TestClient.connect(client, (i % 2 == 0 ? a : b).url("/echo")));
        }

        Answer refusedByA = upgrade(a, "/echo");
        Answer refusedByB = upgrade(b, "/echo");
        assertThat(refusedByA.status()).isEqualTo(429);
        assertThat(refusedByA.body()).contains("RATE_LIMITED");
        assertThat(refusedByB.status()).isEqualTo(429);
        assertThat(a.failures()).isEmpty();
        assertThat(b.failures()).isEmpty();
    }

    @Test
    void twoGatewaysShareAConnectionLimitExactly() throws Exception {
        String file = yaml("  connectionLimits:\n    perKey: 2\n    key: client-ip\n", "");
        Gw a = startGateway(file);
        Gw b = startGateway(file);
        String leases = "wsgate:{edge:connections}:key:" + RedisKeys.hash(LOOPBACK);

        TestClient first = TestClient.connect(client, a.url("/echo"));
        TestClient second = TestClient.connect(client, b.url("/echo"));
        assertThat(redis.members(leases)).hasSize(2);
        Answer refused = upgrade(a, "/echo");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.body()).contains("CONNECTION_LIMIT");
        assertThat(upgrade(b, "/echo").status()).isEqualTo(429);

        first.closeNormally(); // its permit goes back to Redis, where the other gateway sees it
        await().atMost(WAIT).until(() -> redis.members(leases).size() == 1);
        TestClient third = TestClient.connect(client, b.url("/echo"));
        assertThat(upgrade(a, "/echo").status()).isEqualTo(429);

        echoAndClose(second);
        echoAndClose(third);
        await().atMost(WAIT).until(() -> redis.members(leases).isEmpty());
    }

    @Test
    void aQuotaSurvivesARestartOfTheInstance() throws Exception {
        String file = yaml("  policies:\n    - quota-by-key: {permits: 2, period: 1h, key: client-ip}\n", "");
        Gw before = startGateway(file);
        echoAndClose(TestClient.connect(client, before.url("/echo")));
        echoAndClose(TestClient.connect(client, before.url("/echo")));
        assertThat(upgrade(before, "/echo").status()).isEqualTo(403);
        await().atMost(WAIT).until(() -> before.handler().gateway().openPairs() == 0);
        before.stop();

        Gw after = startGateway(file); // a new process would load the same file: a new store, the same keys
        Answer refused = upgrade(after, "/echo");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("QUOTA_EXCEEDED");
    }

    @Test
    void aTokenLikeKeyIsStoredOnlyAsAHashAndEveryKeyExpires() throws Exception {
        String token = "tok-SECRET-0123456789";
        Gw g = startGateway(yaml("  connectionLimits:\n    perKey: 5\n    key: {header: X-Api-Token}\n"
                + "  policies:\n    - rate-limit-by-key: {permits: 5, period: 1h, key: {header: X-Api-Token}}\n", ""));

        try (Socket pair = openRaw(g, "/echo", "X-Api-Token: " + token)) {
            List<String> keys = redis.keys();
            assertThat(keys).hasSize(2).allMatch(k -> k.startsWith("wsgate:"));
            assertThat(String.join(" ", keys)).doesNotContain(token).doesNotContain("SECRET");
            assertThat(keys).anyMatch(k -> k.startsWith("wsgate:edge:gateway:rate-limit-by-key:") && k.endsWith(":" + RedisKeys.hash(token)));
            assertThat(keys).contains("wsgate:{edge:connections}:key:" + RedisKeys.hash(token));
            for (String k : keys) {
                assertThat(redis.ttl(k)).as("time to live of %s", k).isPositive();
            }
        }
    }
}
