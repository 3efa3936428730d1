package io.wsgate.jetty;

import io.wsgate.core.ReloadResult;
import io.wsgate.core.file.GatewayFiles;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Pairs echo without pause while the file changes under them: no message is lost and no pair dropped. */
@ParameterizedClass(name = "{0}")
@EnumSource(Mount.class)
class ReloadUnderTrafficTest extends ReloadTestBase {

    private static final int PAIRS = 4;

    /** chat carries the traffic; version {@code %d} adds an API of its own and changes chat's limits and policies. */
    private static final String VERSION = """
            gateway:
              connectionLimits: { perKey: 10, key: { header: X-User } }
              policies:
                - rate-limit-by-key: { permits: 1000, period: 1h, key: { header: X-User } }
            apis:
              - name: chat
                backendUrl: BACKEND/chat
                urlSuffix: /chat
                limits: { idleTimeout: %ds }
                onHandshake:
                  - check-header: { name: X-User, values: [ann, bob, v%d] }
              - name: extra-%d
                backendUrl: BACKEND/extra
                urlSuffix: /extra-%d
            """;

    ReloadUnderTrafficTest(Mount mount) {
        super(mount);
    }

    private static String version(int v) {
        return VERSION.formatted(60 + v, v, v, v);
    }

    /** One client sending numbered messages one after the other and checking each echo, until stopped. */
    private static final class Talker {
        final RecordingClient client;
        final AtomicLong echoed = new AtomicLong();

        Talker(RecordingClient client) {
            this.client = client;
        }

        Void talk(AtomicBoolean stop) throws Exception {
            while (!stop.get()) {
                String m = "m-" + echoed.get();
                client.sendText(m);
                assertThat(TestBackend.text(client.nextData())).as("echo of " + m).isEqualTo(m);
                echoed.incrementAndGet();
            }
            return null;
        }
    }

    private List<Talker> openTalkers() throws Exception {
        List<Talker> talkers = new ArrayList<>();
        for (int i = 0; i < PAIRS; i++) {
            talkers.add(new Talker(connect("/chat", Map.of("X-User", i % 2 == 0 ? "ann" : "bob"))));
            seen();
        }
        return talkers;
    }

    /** Waits until every pair has echoed more since the last look, so traffic runs between reloads. */
    private static void everyPairMoves(List<Talker> talkers) {
        long[] before = talkers.stream().mapToLong(t -> t.echoed.get()).toArray();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (int i = 0; i < before.length; i++) {
                if (talkers.get(i).echoed.get() <= before[i]) {
                    return false;
                }
            }
            return true;
        });
    }

    private void closeAll(List<Talker> talkers, AtomicBoolean stop, List<Future<Void>> running) throws Exception {
        stop.set(true);
        for (Future<Void> f : running) {
            f.get(20, TimeUnit.SECONDS);
        }
        for (Talker t : talkers) {
            assertThat(t.client.drain()).as("frames beyond the echoes").isEmpty();
            t.client.session.close(1000, "done", Callback.NOOP);
            assertThat(t.client.awaitClosed().getCode()).isEqualTo(1000);
        }
    }

    @Test
    void twentyReloadsUnderLiveTrafficLoseNoMessageAndDropNoPair() throws Exception {
        write(version(0));
        startGateway(GatewayFiles.loader().reloadable(path()));
        List<Talker> talkers = openTalkers();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(PAIRS);
        try {
            List<Future<Void>> running = new ArrayList<>();
            for (Talker t : talkers) {
                running.add(pool.submit(() -> t.talk(stop)));
            }
            for (int v = 1; v <= 20; v++) {
                everyPairMoves(talkers);
                reloadTo(version(v));

                assertThat(raw(upgradeRequest("/extra-" + (v - 1))).status()).as("the previous version's API").isEqualTo(404);
                RecordingClient fresh = connect("/extra-" + v, Map.of("X-User", "v" + v));
                assertThat(seen().path()).isEqualTo("/extra");
                echoAndClose(fresh);
                assertThat(gateway.gateway().openPairs()).isGreaterThanOrEqualTo(PAIRS);
            }
            everyPairMoves(talkers);
            assertThat(running).noneMatch(Future::isDone);
            closeAll(talkers, stop, running);
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        assertThat(heard).hasSize(20).allMatch(r -> r.outcome() == ReloadResult.Outcome.APPLIED);
        // the backend hears its last close a moment after the client has its answer
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(backend.closes).hasSize(PAIRS + 20));
    }

    /** Writes the file as editors and deployment tools do: a new file beside it, moved over it. */
    private void moveOver(String yaml) throws Exception {
        Path tmp = dir.resolve(".gateway.yaml.tmp");
        Files.writeString(tmp, yaml.replace("BACKEND", backend.url("")), StandardCharsets.UTF_8);
        Files.move(tmp, path(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void theWatcherPicksUpAFileMovedOverTheOldOneAndWaitsOutABriefAbsence() throws Exception {
        write(version(0));
        startGateway(GatewayFiles.loader().watching(path()));
        assertThat(file.isWatching()).isTrue();
        List<Talker> talkers = openTalkers();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(PAIRS);
        try {
            List<Future<Void>> running = new ArrayList<>();
            for (Talker t : talkers) {
                running.add(pool.submit(() -> t.talk(stop)));
            }
            everyPairMoves(talkers);

            moveOver(version(1));
            await().atMost(Duration.ofSeconds(20)).until(() -> gateway.gateway().route("/extra-1").isPresent());
            everyPairMoves(talkers);

            Files.delete(path());
            moveOver(version(2));
            await().atMost(Duration.ofSeconds(20)).until(() -> gateway.gateway().route("/extra-2").isPresent());
            everyPairMoves(talkers);

            moveOver("apis: [ {");
            await().atMost(Duration.ofSeconds(20)).until(() -> file.lastReload().map(ReloadResult::failed).orElse(false));
            assertThat(file.lastReload().orElseThrow().message()).startsWith(path() + ":1:");
            assertThat(gateway.gateway().route("/extra-2")).isPresent();

            assertThat(running).noneMatch(Future::isDone);
            closeAll(talkers, stop, running);
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        assertThat(heard).filteredOn(ReloadResult::failed).hasSize(1);
        assertThat(heard).filteredOn(r -> r.outcome() == ReloadResult.Outcome.APPLIED).hasSizeGreaterThanOrEqualTo(2);
        file.close();
        assertThat(file.isWatching()).isFalse();
    }
}
