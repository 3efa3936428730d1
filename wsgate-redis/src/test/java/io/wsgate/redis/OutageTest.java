package io.wsgate.redis;

import io.wsgate.core.store.FailureMode;
import io.wsgate.core.store.LimitStoreFailure;
import io.wsgate.redis.internal.RedisKeys;
import io.wsgate.testing.ManualScheduler;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What happens when an instance or Redis goes away: permits of a dead instance come back after the lease; while
 * Redis is down handshakes are answered within the timeout, closed or open as configured, and live pairs keep
 * relaying; once Redis is back the limits hold again. Time (leases, renewals) is a {@link ManualScheduler}'s.
 */
class OutageTest extends RedisTestBase {

    private static final String LEASES = "wsgate:{edge:connections}:key:" + RedisKeys.hash("7f000001");
    private static final String TWO_PER_CLIENT = "  connectionLimits:\n    perKey: 2\n    key: client-ip\n";

    @Test
    void thePermitsOfAnInstanceThatDiedComeBackAfterTheLease() throws Exception {
        ManualScheduler timeOfA = ManualScheduler.startingAt(T0);
        ManualScheduler timeOfB = ManualScheduler.startingAt(T0);
        String file = yaml(TWO_PER_CLIENT, "    leaseTime: 30s\n");
        Gw a = startGateway(file, timeOfA);
        Gw b = startGateway(file, timeOfB);
        TestClient one = TestClient.connect(client, a.url("/echo"));
        TestClient two = TestClient.connect(client, a.url("/echo"));
        assertThat(upgrade(b, "/echo").status()).isEqualTo(429);

        // A dies: its Redis client goes away without giving anything back, and it renews nothing any more
        a.config().limitStore().close();
        one.closeNormally();
        two.closeNormally();
        assertThat(redis.members(LEASES)).hasSize(2);
        timeOfB.advance(Duration.ofSeconds(29));
        assertThat(upgrade(b, "/echo").status()).isEqualTo(429);

        timeOfB.advance(Duration.ofSeconds(2)); // A's leases expired: the next acquire trims them
        TestClient three = TestClient.connect(client, b.url("/echo"));
        TestClient four = TestClient.connect(client, b.url("/echo"));
        assertThat(redis.members(LEASES)).hasSize(2);
        assertThat(upgrade(b, "/echo").status()).isEqualTo(429);
        three.closeNormally();
        four.closeNormally();
        await().atMost(WAIT).until(() -> redis.members(LEASES).isEmpty());
        assertThat(a.failures()).extracting(LimitStoreFailure::operation).containsOnly("release");
    }

    @Test
    void withRedisDownHandshakesFailClosedLivePairsRelayAndAfterItsRestartTheLimitsHold() throws Exception {
        ManualScheduler time = ManualScheduler.startingAt(T0);
        Gw g = startGateway(yaml(TWO_PER_CLIENT + "  policies:\n    - rate-limit-by-key: {permits: 100, period: 1m, key: client-ip}\n",
                "    commandTimeout: 1s\n"), time);
        TestClient live = TestClient.connect(client, g.url("/echo"));
        live.sendText("before");
        assertThat(live.nextText()).isEqualTo("before");

        redis.kill();
        Answer refused = upgrade(g, "/echo"); // never hangs: the raw client's read would time out and fail the test
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.body()).contains("LIMIT_STORE_UNAVAILABLE");
        assertThatThrownBy(() -> TestClient.connect(client, g.url("/echo"))).hasMessageContaining("503");
        time.advance(Duration.ofSeconds(10)); // a renewal that fails harms no pair
        await().atMost(WAIT).until(() -> g.failures().stream().anyMatch(f -> f.operation().equals("renew")));
        live.sendText("during");
        assertThat(live.nextText()).isEqualTo("during");
        assertThat(g.failures()).allMatch(f -> f.mode() == FailureMode.CLOSED);
        assertThat(g.failures().get(0).outageStart()).isTrue();
        assertThat(g.failures().stream().filter(LimitStoreFailure::outageStart)).hasSize(1);

        redis.restart(); // empty: the live pair's lease is back with its next renewal
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            TestClient.connect(client, g.url("/echo")).closeNormally();
            return true;
        });
        time.advance(Duration.ofSeconds(10));
        await().atMost(WAIT).until(() -> redis.members(LEASES).size() == 1);
        TestClient second = TestClient.connect(client, g.url("/echo"));
        assertThat(upgrade(g, "/echo").status()).isEqualTo(429);
        live.sendText("after");
        assertThat(live.nextText()).isEqualTo("after");
        live.closeNormally();
        second.closeNormally();
        await().atMost(WAIT).until(() -> redis.members(LEASES).isEmpty());
    }

    @Test
    void withRedisDownAndFailureModeOpenEachInstanceLimitsAlone() throws Exception {
        Gw g = startGateway(yaml(TWO_PER_CLIENT + "  policies:\n    - rate-limit-by-key: {permits: 100, period: 1m, key: client-ip}\n",
                "    failureMode: open\n    commandTimeout: 1s\n"));
        TestClient live = TestClient.connect(client, g.url("/echo"));

        redis.kill();
        TestClient localOne = TestClient.connect(client, g.url("/echo"));
        TestClient localTwo = TestClient.connect(client, g.url("/echo"));
        Answer refused = upgrade(g, "/echo");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.body()).contains("CONNECTION_LIMIT");
        live.sendText("still here");
        assertThat(live.nextText()).isEqualTo("still here");
        assertThat(g.failures()).isNotEmpty().allMatch(f -> f.mode() == FailureMode.OPEN);
        assertThat(g.failures()).extracting(LimitStoreFailure::operation).contains("rate", "acquire");

        localOne.closeNormally();
        localTwo.closeNormally();
        live.closeNormally(); // its release cannot reach Redis: its lease would expire there by itself
    }

    @Test
    void aGatewayStartedWhileRedisIsDownFailsClosedUntilItConnects() throws Exception {
        redis.kill();
        Gw g = startGateway(yaml(TWO_PER_CLIENT, ""));
        Answer refused = upgrade(g, "/echo");
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.body()).contains("LIMIT_STORE_UNAVAILABLE");

        redis.restart();
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            TestClient.connect(client, g.url("/echo")).closeNormally();
            return true;
        });
        TestClient one = TestClient.connect(client, g.url("/echo"));
        TestClient two = TestClient.connect(client, g.url("/echo"));
        assertThat(upgrade(g, "/echo").status()).isEqualTo(429);
        one.closeNormally();
        two.closeNormally();
        await().atMost(WAIT).until(() -> redis.members(LEASES).isEmpty());
    }
}
