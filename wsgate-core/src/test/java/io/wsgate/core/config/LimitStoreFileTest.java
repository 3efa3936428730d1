package io.wsgate.core.config;

import io.wsgate.core.GatewayConfig;
import io.wsgate.core.file.GatewayFiles;
import io.wsgate.core.store.FailureMode;
import io.wsgate.core.store.LimitStoreSettings;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The gateway file's {@code gateway.limitStore} block: the store its limits count in. */
class LimitStoreFileTest {

    private static GatewayConfig parse(String yaml) {
        return GatewayFiles.loader().parse(yaml, "gateway.yaml");
    }

    private static GatewayFileException failure(String store) {
        return catchThrowableOfType(GatewayFileException.class, () -> parse("gateway:\n  limitStore: " + store + "\napis: []\n"));
    }

    @Test
    void withoutALimitStoreTheLimitsCountInMemory() {
        GatewayConfig config = parse("gateway:\n  connectionLimits: {perKey: 2}\napis: []\n");

        assertThat(config.limitStore().isShared()).isFalse();
        assertThat(config.connectionLimiter().orElseThrow().isShared()).isFalse();
        assertThat(parse("gateway:\n  limitStore: {type: memory}\napis: []\n").limitStore().isShared()).isFalse();
    }

    @Test
    void readsEverySettingAndBuildsEveryLimitOnTheStoreWithAnIdPerEntry() {
        GatewayConfig config = parse("""
                gateway:
                  name: edge
                  limitStore:
                    type: fake
                    uri: redis://:secret@redis.internal:6380/2
                    commandTimeout: 150ms
                    failureMode: open
                    leaseTime: 10s
                  connectionLimits: {perKey: 2}
                  policies:
                    - rate-limit-by-key: {permits: 5, period: 1m}
                apis:
                  - name: chat
                    backendUrl: ws://127.0.0.1:9/
                    policies:
                      - rate-limit-by-key: {permits: 5, period: 1m}
                      - quota-by-key: {permits: 100, period: 1d}
                """);

        FakeStoreFactory.Store store = (FakeStoreFactory.Store) config.limitStore();
        LimitStoreSettings s = store.settings;
        assertThat(s.uri()).isEqualTo(URI.create("redis://:secret@redis.internal:6380/2"));
        assertThat(s.gateway()).isEqualTo("edge");
        assertThat(s.commandTimeout()).isEqualTo(Duration.ofMillis(150));
        assertThat(s.failureMode()).isEqualTo(FailureMode.OPEN);
        assertThat(s.leaseTime()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.connectionLimiter().orElseThrow().store()).isSameAs(store);
        assertThat(config.connectionLimiter().orElseThrow().isShared()).isTrue();
        assertThat(store.ids).hasSize(4).doesNotHaveDuplicates().contains("connections");
        assertThat(store.ids).filteredOn(id -> id.startsWith("gateway:rate-limit-by-key:")).hasSize(1);
        assertThat(store.ids).filteredOn(id -> id.startsWith("api:chat:rate-limit-by-key:")).hasSize(1);
        assertThat(store.ids).filteredOn(id -> id.startsWith("api:chat:quota-by-key:")).hasSize(1);
    }

    @Test
    void theSameEntryGetsTheSameIdInEveryLoadAndAChangedOneAnother() {
        String file = "gateway:\n  limitStore: {type: fake, uri: redis://a}\n  policies:\n    - rate-limit-by-key: {permits: %d, period: 1m}\napis: []\n";
        FakeStoreFactory.Store one = (FakeStoreFactory.Store) parse(file.formatted(5)).limitStore();
        FakeStoreFactory.Store two = (FakeStoreFactory.Store) parse(file.formatted(5)).limitStore();
        FakeStoreFactory.Store changed = (FakeStoreFactory.Store) parse(file.formatted(6)).limitStore();

        assertThat(one.ids).isEqualTo(two.ids);
        assertThat(changed.ids).doesNotContainAnyElementsOf(one.ids);
    }

    @Test
    void refusesABadStoreWhereItStandsWithoutRepeatingThePassword() {
        GatewayFileException unknown = failure("{type: memcached, uri: x://y}");
        GatewayFileException noUri = failure("{type: fake}");
        GatewayFileException badUri = failure("{type: fake, uri: 'redis://:pa ss@host'}");
        GatewayFileException mode = failure("{type: fake, uri: redis://a, failureMode: maybe}");
        GatewayFileException lease = failure("{type: fake, uri: redis://a, leaseTime: 100ms}");
        GatewayFileException key = failure("{type: fake, uri: redis://a, leaseTme: 10s}");
        GatewayFileException factory = failure("{type: fake, uri: 'redis:nohost'}");

        assertThat(unknown.key()).isEqualTo("gateway.limitStore.type");
        assertThat(unknown.problem()).contains("memcached").contains("memory").contains("fake");
        assertThat(noUri.key()).isEqualTo("gateway.limitStore.uri");
        assertThat(badUri.key()).isEqualTo("gateway.limitStore.uri");
        assertThat(badUri.getMessage()).doesNotContain("pa ss");
        assertThat(mode.key()).isEqualTo("gateway.limitStore.failureMode");
        assertThat(mode.problem()).contains("closed").contains("open");
        assertThat(lease.key()).isEqualTo("gateway.limitStore");
        assertThat(lease.problem()).contains("leaseTime");
        assertThat(key.problem()).contains("leaseTme");
        assertThat(factory.problem()).contains("no host");
    }
}
