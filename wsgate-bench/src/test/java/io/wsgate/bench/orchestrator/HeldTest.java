package io.wsgate.bench.orchestrator;

import io.wsgate.bench.driver.ConcurrencyResult;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class HeldTest {

    @Test
    void everyPairHeldIsOk() {
        assertThat(Held.status(new ConcurrencyResult(100, 100, 100, 0, 100, 1), true, Optional.empty())).isEqualTo("ok");
    }

    @Test
    void aGatewayOutOfMemoryIsReportedWithWhatItRefusedAndWhereItStalled() {
        String status = Held.status(new ConcurrencyResult(9900, 4000, 3990, 20, 3000, 1), true,
                Optional.of("Exception in thread \"qtp-12\" java.lang.OutOfMemoryError: Java heap space"));

        assertThat(status).isEqualTo("OOM (Java heap space), 20 refused, stopped at 4020, 10 not echoed, 990 closed");
    }

    @Test
    void aProcessThatExitedSaysSo() {
        assertThat(Held.status(new ConcurrencyResult(10, 0, 0, 10, 0, 1), false, Optional.empty()))
                .isEqualTo("exited, 10 refused");
        assertThat(Held.status(new ConcurrencyResult(10, 10, 10, 0, 10, 1), false,
                Optional.of("Exception: java.lang.OutOfMemoryError thrown from the UncaughtExceptionHandler in thread \"x\"")))
                .isEqualTo("exited, OOM");
    }

    @Test
    void figuresPerPairAreGrowthOverThePairsEchoed() {
        Held h = new Held(new ConcurrencyResult(1000, 1000, 500, 0, 500, 1),
                new Held.Memory(100_000, 20_000, 1_000, 30), new Held.Memory(110_000, 25_000, 1_500, 32), 4, "ok");

        assertThat(h.rssPerPair()).isEqualTo(20.0);
        assertThat(h.heapPerPair()).isEqualTo(10.0);
        assertThat(h.directPerPair()).isEqualTo(1.0);
        assertThat(h.threadGrowth()).isEqualTo(2.0);
        assertThat(h.memoryPerPair()).isEqualTo(30.0);
    }

    @Test
    void aTargetWithoutAHeapCountsItsRssAlone() {
        Held nginx = new Held(new ConcurrencyResult(10, 10, 10, 0, 10, 1),
                new Held.Memory(1_000, Double.NaN, Double.NaN, 2), new Held.Memory(1_100, Double.NaN, Double.NaN, 2), 4, "ok");

        assertThat(nginx.memoryPerPair()).isEqualTo(10.0);
        assertThat(Held.notStarted(10, "did not start").memoryPerPair()).isNaN();
    }
}
