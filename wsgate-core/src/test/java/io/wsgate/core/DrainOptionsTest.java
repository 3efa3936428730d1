package io.wsgate.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DrainOptionsTest {

    @Test
    void defaultsCloseWith1001AtOnceAndAbortAfter30Seconds() {
        DrainOptions d = DrainOptions.ofDefaults();
        assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.window()).isZero();
        assertThat(d.closeCode()).isEqualTo(1001);
        assertThat(d.closeReason()).isEqualTo("Gateway draining");
        assertThat(d.retryAfterSeconds()).isEqualTo("5");
        assertThat(d.withWindow(Duration.ofSeconds(30)).longest()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void retryAfterIsRoundedUpToWholeSeconds() {
        assertThat(DrainOptions.ofDefaults().withRetryAfter(Duration.ofMillis(1001)).retryAfterSeconds()).isEqualTo("2");
        assertThat(DrainOptions.ofDefaults().withRetryAfter(Duration.ZERO).retryAfterSeconds()).isEqualTo("0");
    }

    @Test
    void refusesBadValuesNamingThem() {
        DrainOptions d = DrainOptions.ofDefaults();
        assertThatThrownBy(() -> d.withTimeout(Duration.ZERO)).hasMessageContaining("timeout must be positive");
        assertThatThrownBy(() -> d.withWindow(Duration.ofSeconds(-1))).hasMessageContaining("window must not be negative");
        assertThatThrownBy(() -> d.withClose(1006, "")).hasMessageContaining("1006");
        assertThatThrownBy(() -> d.withClose(1001, "é".repeat(62))).hasMessageContaining("124 bytes");
        assertThatThrownBy(() -> d.withRetryAfter(Duration.ofSeconds(-5))).hasMessageContaining("retryAfter");
        assertThatThrownBy(() -> d.withClose(1001, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aWindowSpreadsThePairsOverItsWholeSeconds() {
        assertThat(Drain.batchSize(10, Duration.ofSeconds(5))).isEqualTo(2);
        assertThat(Drain.batchSize(30, Duration.ofSeconds(30))).isEqualTo(1);
        assertThat(Drain.batchSize(5000, Duration.ofSeconds(30))).isEqualTo(167);
        assertThat(Drain.batchSize(11, Duration.ofMillis(4500))).isEqualTo(3); // 5 whole seconds
        assertThat(Drain.batchSize(3, Duration.ofSeconds(30))).isEqualTo(1);
        assertThat(Drain.batchSize(10, Duration.ofMillis(500))).isEqualTo(10);
        assertThat(Drain.batchSize(10, Duration.ZERO)).isEqualTo(10);
        assertThat(Drain.batchSize(0, Duration.ofSeconds(5))).isEqualTo(1);
    }
}
