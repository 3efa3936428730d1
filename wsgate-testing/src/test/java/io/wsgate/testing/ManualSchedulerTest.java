package io.wsgate.testing;

import io.wsgate.core.Scheduler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ManualSchedulerTest {

    private static final Instant START = Instant.parse("2030-01-01T12:00:00Z");

    private final ManualScheduler time = ManualScheduler.startingAt(START);

    @Test
    void theManualSchedulerRunsDueTasksInOrderAndForgetsCancelledOnes() {
        List<String> ran = new ArrayList<>();
        time.schedule(Duration.ofSeconds(2), () -> ran.add("b"));
        time.schedule(Duration.ofSeconds(1), () -> ran.add("a"));
        Scheduler.Task cancelled = time.schedule(Duration.ofSeconds(1), () -> ran.add("cancelled"));
        time.schedule(Duration.ofSeconds(-5), () -> ran.add("now"));
        cancelled.cancel();
        cancelled.cancel();

        assertThat(time.pending()).isEqualTo(3);
        assertThat(time.advance(Duration.ofSeconds(1))).isEqualTo(2);
        assertThat(ran).containsExactly("now", "a");
        assertThat(time.clock().instant()).isEqualTo(START.plusSeconds(1));
        time.advance(Duration.ofSeconds(5));
        assertThat(ran).containsExactly("now", "a", "b");
        assertThat(time.pending()).isZero();
    }
}
