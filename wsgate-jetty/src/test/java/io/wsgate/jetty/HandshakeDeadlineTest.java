package io.wsgate.jetty;

import io.wsgate.core.GatewayConfig;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.websocket.core.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The handshake deadline on a connector whose timers the test runs ({@link ManualTimers}): the
 * deadline expires when the test moves the clock past it, never because the machine was slow.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Mount.class)
class HandshakeDeadlineTest extends GatewayTestBase {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private ManualTimers timers;
    private ServerConnector connector;

    HandshakeDeadlineTest(Mount mount) {
        super(mount);
    }

    /** The gateway on a connector whose scheduler is {@link #timers}. */
    private void startGatewayOnManualTimers() throws Exception {
        startGatewayOnManualTimers(null);
    }

    /** The same, behind TLS when {@code tls} is given. */
    private void startGatewayOnManualTimers(org.eclipse.jetty.util.ssl.SslContextFactory.Server tls) throws Exception {
        timers = new ManualTimers();
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("gateway");
        gatewayServer = new Server(threads);
        connector = tls == null ? new ServerConnector(gatewayServer, null, timers, null, 1, 1, new HttpConnectionFactory())
                : new ServerConnector(gatewayServer, null, timers, null, 1, 1,
                        new org.eclipse.jetty.server.SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory());
        connector.setHost("127.0.0.1");
        gatewayServer.addConnector(connector);
        serve(connector, GatewayConfig.builder().api(api("echo", "/echo", "/backend").build()).build(), null, b -> { });
        gatewayServer.start();
    }

    @Test
    void dropsAHandshakeStillIncompleteAtTheDeadlineThoughBytesKeptComing() throws Exception {
        startGatewayOnManualTimers();
        HandshakeDeadline deadline = HandshakeDeadline.install(connector, DEADLINE);
        byte[] request = upgradeRequest("/echo").getBytes(StandardCharsets.ISO_8859_1);
        try (Socket socket = new Socket("127.0.0.1", gatewayPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            // all but the last byte, one at a time, on either side of the clock nearing the deadline:
            // each would reset an idle timeout
            int half = request.length / 2;
            for (int i = 0; i < half; i++) {
                out.write(request[i]);
                out.flush();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> deadline.watched() == 1);
            timers.advance(DEADLINE.minusMillis(1));
            assertThat(deadline.watched()).as("watched until the deadline").isEqualTo(1);
            for (int i = half; i < request.length - 1; i++) {
                out.write(request[i]);
                out.flush();
            }
            timers.advance(Duration.ofMillis(1));

            assertThat(firstByte(socket.getInputStream())).as("the gateway closed the connection instead of answering")
                    .isEqualTo(-1);
        }
        assertThat(backend.handshakes).as("no backend connection").isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> deadline.watched() == 0);
    }

    @Test
    void givesAConnectionItHasReadNothingFromAnotherDeadlineAndClosesItOnceItBeganAndStalled() throws Exception {
        startGatewayOnManualTimers();
        HandshakeDeadline deadline = HandshakeDeadline.install(connector, DEADLINE);
        byte[] request = upgradeRequest("/echo").getBytes(StandardCharsets.ISO_8859_1);
        try (Socket socket = new Socket("127.0.0.1", gatewayPort())) {
            socket.setSoTimeout(10_000);
            await().atMost(Duration.ofSeconds(10)).until(() -> deadline.watched() == 1);
            // the client has sent nothing (as a request waiting unread in a busy gateway's socket looks)
            timers.advance(DEADLINE);
            timers.advance(DEADLINE);
            assertThat(deadline.watched()).as("still watched, a deadline at a time").isEqualTo(1);
            assertThat(connector.getConnectedEndPoints()).as("left open").singleElement()
                    .satisfies(e -> assertThat(e.isOpen()).isTrue());

            OutputStream out = socket.getOutputStream();
            out.write(request, 0, request.length / 2);
            out.flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> connector.getConnectedEndPoints().stream()
                    .allMatch(e -> e.getConnection().getBytesIn() > 0));
            timers.advance(DEADLINE);

            assertThat(firstByte(socket.getInputStream())).as("begun, stalled, closed at its next deadline").isEqualTo(-1);
        }
        assertThat(backend.handshakes).as("no backend connection").isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> deadline.watched() == 0);
    }

    @Test
    void closesAClientThatStallsInItsTlsHandshakeAtTheDeadline() throws Exception {
        startGatewayOnManualTimers(Tls.selfSigned("localhost", "127.0.0.1").server());
        HandshakeDeadline deadline = HandshakeDeadline.install(connector, DEADLINE);
        try (Socket socket = new Socket("127.0.0.1", gatewayPort())) {
            socket.setSoTimeout(10_000);
            await().atMost(Duration.ofSeconds(10)).until(() -> deadline.watched() == 1);
            // the first bytes of a TLS record (a handshake, TLS 1.0 framing) and no more: nothing is ever decrypted
            socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02});
            socket.getOutputStream().flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> connector.getConnectedEndPoints().stream()
                    .allMatch(e -> e.getConnection().getBytesIn() > 0));
            timers.advance(DEADLINE);
            // the gateway may send a TLS alert as it closes: read to the end
            InputStream in = socket.getInputStream();
            int read;
            int alertBytes = 0;
            while ((read = firstByte(in)) >= 0 && alertBytes++ < 64) {
                assertThat(alertBytes > 1 || read == 0x15).as("nothing but an alert record").isTrue();
            }
            assertThat(read).as("a stalled TLS handshake is closed at the deadline").isEqualTo(-1);
        }
        assertThat(backend.handshakes).as("no backend connection").isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> deadline.watched() == 0);
    }

    @Test
    void leavesAnEstablishedPairAlone() throws Exception {
        startGatewayOnManualTimers();
        HandshakeDeadline deadline = HandshakeDeadline.install(connector, DEADLINE);
        RecordingClient c = RecordingClient.connect(client, gw("/echo"));
        await().atMost(Duration.ofSeconds(10)).until(() -> deadline.watched() == 0);
        timers.advance(DEADLINE.multipliedBy(2));
        c.sendText("still here");
        Frame echoed = c.nextData();
        assertThat(TestBackend.text(echoed)).isEqualTo("still here");
        c.session.close(1000, "done", org.eclipse.jetty.util.Callback.NOOP);
        assertThat(c.awaitClosed().getCode()).isEqualTo(1000);
    }

    @Test
    void refusesADeadlineThatIsNotPositive() throws Exception {
        startGateway(api("echo", "/echo", "/backend").build());
        assertThatThrownBy(() -> HandshakeDeadline.install(gatewayServer.getConnectors()[0], Duration.ZERO))
                .hasMessageContaining("positive");
    }

    /** @return the first byte read, -1 when the gateway closed (or reset) the connection, -2 when it stayed open */
    private static int firstByte(InputStream in) throws java.io.IOException {
        try {
            return in.read();
        } catch (SocketException reset) {
            return -1;
        } catch (SocketTimeoutException stillOpen) {
            return -2;
        }
    }

    /**
     * A Jetty scheduler on a clock only the test moves: {@link #advance} runs, on the caller's
     * thread, the tasks that have come due. The connector's other timers (idle timeouts) wait too.
     */
    static final class ManualTimers extends AbstractLifeCycle implements Scheduler {
        private final List<Timer> timers = new ArrayList<>();
        private long now;

        private final class Timer implements Task {
            final long due;
            final Runnable task;
            final AtomicBoolean done = new AtomicBoolean();

            Timer(long due, Runnable task) {
                this.due = due;
                this.task = task;
            }

            @Override
            public boolean cancel() {
                return done.compareAndSet(false, true);
            }
        }

        @Override
        public synchronized Task schedule(Runnable task, long delay, TimeUnit units) {
            Timer t = new Timer(now + units.toNanos(delay), task);
            timers.add(t);
            return t;
        }

        /** Moves the clock on by {@code by} and runs the tasks due by then. */
        void advance(Duration by) {
            List<Timer> due = new ArrayList<>();
            synchronized (this) {
                now += by.toNanos();
                timers.removeIf(t -> {
                    if (t.done.get()) {
                        return true;
                    }
                    if (t.due <= now) {
                        due.add(t);
                        return true;
                    }
                    return false;
                });
            }
            for (Timer t : due) {
                if (t.done.compareAndSet(false, true)) {
                    t.task.run();
                }
            }
        }
    }
}
