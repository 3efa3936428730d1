package io.wsgate.core.policy.limit;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectionLimiterTest {

    @Test
    void refusesBeyondTheGatewayLimitAndAdmitsAgainAfterARelease() {
        ConnectionLimiter l = ConnectionLimiter.builder().perGateway(2).build();
        var a = l.tryAcquire("x", "");
        var b = l.tryAcquire("y", "");
        assertThat(a).isPresent();
        assertThat(b).isPresent();
        assertThat(l.tryAcquire("z", "")).isEmpty();
        a.get().release();
        assertThat(l.tryAcquire("z", "")).isPresent();
    }

    @Test
    void limitsEachApiAndEachKeyApart() {
        ConnectionLimiter l = ConnectionLimiter.builder().perApi(2).perKey(1, RateKey.clientIp()).build();
        assertThat(l.tryAcquire("chat", "alice")).isPresent();
        assertThat(l.tryAcquire("chat", "alice")).isEmpty();
        assertThat(l.tryAcquire("chat", "bob")).isPresent();
        assertThat(l.tryAcquire("chat", "carol")).isEmpty();
        assertThat(l.tryAcquire("feed", "carol")).isPresent();
        assertThat(l.active()).isEqualTo(3);
        assertThat(l.active("chat")).isEqualTo(2);
    }

    @Test
    void releasesAPermitOnlyOnceWhateverTheNumberOfCalls() {
        ConnectionLimiter l = ConnectionLimiter.builder().perGateway(5).build();
        var p = l.tryAcquire("x", "").orElseThrow();
        l.tryAcquire("x", "").orElseThrow();
        p.release();
        p.release();
        p.close();
        assertThat(l.active()).isEqualTo(1);
    }

    @Test
    void returnsToZeroAfterThousandsOfMixedOutcomesOnSeveralThreads() {
        ConnectionLimiter l = ConnectionLimiter.builder().perGateway(50).perApi(30).perKey(3, RateKey.clientIp()).build();
        ConcurrentLinkedQueue<ConnectionLimiter.Permit> held = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int seed = w;
            workers.add(CompletableFuture.runAsync(() -> {
                Random r = new Random(seed);
                for (int i = 0; i < 5_000; i++) {
                    Optional<ConnectionLimiter.Permit> p = l.tryAcquire("api" + r.nextInt(3), "k" + r.nextInt(20));
                    if (p.isEmpty()) {
                        continue;
                    }
                    switch (r.nextInt(4)) {
                        case 0 -> p.get().release();                  // backend failed after admission
                        case 1 -> { p.get().release(); p.get().release(); } // released twice by two paths
                        default -> held.add(p.get());                 // pair established, ends later
                    }
                    if (r.nextBoolean()) {
                        ConnectionLimiter.Permit old = held.poll();
                        if (old != null) {
                            old.release();
                        }
                    }
                    assertThat(l.active()).isLessThanOrEqualTo(50);
                }
            }));
        }
        CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
        held.forEach(ConnectionLimiter.Permit::release);
        assertThat(l.active()).isZero();
        assertThat(l.active("api0")).isZero();
        assertThat(l.activeKeys()).isZero();
    }

    @Test
    void refusesANegativeLimit() {
        assertThatThrownBy(() -> ConnectionLimiter.builder().perApi(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("perApi").hasMessageContaining("-1");
    }
}
