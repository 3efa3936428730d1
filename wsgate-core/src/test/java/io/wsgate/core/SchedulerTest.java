package io.wsgate.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SchedulerTest {

    @Test
    void theJdkSchedulerRunsTasksOnItsDaemonThreadAndSurvivesATaskThatThrows() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        String[] thread = new String[1];
        Scheduler.jdk().schedule(Duration.ZERO, () -> {
            throw new IllegalStateException("a failing task");
        });
        Scheduler.jdk().schedule(Duration.ofMillis(-1), () -> {
            thread[0] = Thread.currentThread().getName() + (Thread.currentThread().isDaemon() ? " daemon" : "");
            ran.countDown();
        });
        Scheduler.Task never = Scheduler.jdk().schedule(Duration.ofDays(365 * 1000), () -> {
            throw new AssertionError("must not run");
        });
        never.cancel();

        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(thread[0]).isEqualTo("wsgate-scheduler daemon");
        assertThat(GatewayConfig.builder().build().scheduler()).isSameAs(Scheduler.jdk());
    }
}
