package io.wsgate.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wsgate.core.GatewayListener;
import io.wsgate.core.store.FailureMode;
import io.wsgate.core.store.LimitStoreFailure;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** wsgate.limitstore.failures counts each failure a shared limit store's monitor reports, by store, operation and mode. */
class LimitStoreMetricsTest {

    @Test
    void everyFailedCallToTheLimitStoreIsCountedByOperationAndMode() {
        MeterRegistry registry = new SimpleMeterRegistry();
        GatewayListener metrics = WsGateMetrics.of(registry);

        metrics.limitStoreFailed(new LimitStoreFailure("redis://redis:6379/0", "acquire", FailureMode.CLOSED, "timeout", true));
        metrics.limitStoreFailed(new LimitStoreFailure("redis://redis:6379/0", "acquire", FailureMode.CLOSED, "timeout", false));
        metrics.limitStoreFailed(new LimitStoreFailure("redis://redis:6379/0", "renew", FailureMode.CLOSED, "timeout", false));

        assertThat(registry.get(WsGateMetrics.LIMIT_STORE_FAILURES).tags(WsGateMetrics.TAG_STORE, "redis://redis:6379/0",
                WsGateMetrics.TAG_OPERATION, "acquire", WsGateMetrics.TAG_MODE, "closed").counter().count()).isEqualTo(2);
        assertThat(registry.get(WsGateMetrics.LIMIT_STORE_FAILURES).tag(WsGateMetrics.TAG_OPERATION, "renew").counter().count())
                .isEqualTo(1);
    }
}
