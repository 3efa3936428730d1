package io.wsgate.jetty;

import io.wsgate.api.ApiLimits;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.io.ClientConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backend handshake's timeout timer lives exactly as long as the handshake: a timer left
 * behind holds the upgraded connection, and with it the whole pair, until it expires.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Mount.class)
class BackendHandshakeTimerTest extends GatewayTestBase {

    /** Long enough that no other timer of the client is this long: idle timeouts are 30 s, connect 15 s. */
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofMinutes(7);

    private final TimerCountingScheduler scheduler = new TimerCountingScheduler();
    private ClientConnector backendClient;

    BackendHandshakeTimerTest(Mount mount) {
        super(mount);
    }

    @BeforeEach
    void startBackendClient() throws Exception {
        backendClient = new ClientConnector();
        backendClient.setScheduler(scheduler);
        backendClient.start();
    }

    @AfterEach
    void stopBackendClient() throws Exception {
        backendClient.stop();
    }

    private void startGatewayTo(String backendPath) throws Exception {
        startGateway(200, b -> b.backendClient(BackendClientOptions.builder().connector(backendClient).build()), api("api", "/api", backendPath)
                .limits(ApiLimits.ofDefaults().withHandshakeTimeout(HANDSHAKE_TIMEOUT)).build());
    }

    @Test
    void anOpenedPairHoldsNoHandshakeTimer() throws Exception {
        startGatewayTo("/backend");
        RecordingClient c = RecordingClient.connect(client, gw("/api"));
        c.sendText("hello");
        assertThat(TestBackend.text(c.nextData())).isEqualTo("hello");

        assertThat(scheduler.handshakeTimers).as("handshake timers pending while the pair is open").isEmpty();
        assertThat(scheduler.handshakeTimersScheduled.get()).as("the handshake was timed").isPositive();

        c.session.close(1000, "done", Callback.NOOP);
        assertThat(c.awaitClosed().getCode()).isEqualTo(1000);
        assertThat(scheduler.handshakeTimers).isEmpty();
    }

    @Test
    void aRefusedHandshakeHoldsNoHandshakeTimer() throws Exception {
        startGatewayTo("/status/403");
        RawResponse r = raw(upgradeRequest("/api"));

        assertThat(r.status()).isEqualTo(403);
        assertThat(scheduler.handshakeTimersScheduled.get()).isPositive();
        assertThat(scheduler.handshakeTimers).isEmpty();
    }

    /** Jetty's scheduler, keeping the timers as long as the handshake timeout that have neither run nor been cancelled. */
    private static final class TimerCountingScheduler extends ScheduledExecutorScheduler {
        final Set<Task> handshakeTimers = ConcurrentHashMap.newKeySet();
        final AtomicInteger handshakeTimersScheduled = new AtomicInteger();

        @Override
        public Task schedule(Runnable task, long delay, TimeUnit unit) {
            if (unit.toMillis(delay) < HANDSHAKE_TIMEOUT.toMillis() - Duration.ofMinutes(1).toMillis()) {
                return super.schedule(task, delay, unit);
            }
            Tracked tracked = new Tracked(task);
            handshakeTimers.add(tracked);
            handshakeTimersScheduled.incrementAndGet();
            tracked.delegate = super.schedule(tracked, delay, unit);
            return tracked;
        }

        private final class Tracked implements Task, Runnable {
            private final Runnable task;
            private volatile Task delegate;

            Tracked(Runnable task) {
                this.task = task;
            }

            @Override
            public void run() {
                handshakeTimers.remove(this);
                task.run();
            }

            @Override
            public boolean cancel() {
                handshakeTimers.remove(this);
                return delegate.cancel();
            }
        }
    }
}
