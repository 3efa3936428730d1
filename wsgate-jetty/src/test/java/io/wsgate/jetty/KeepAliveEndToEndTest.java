package io.wsgate.jetty;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.ApiLimits;
import io.wsgate.core.GatewayConfig;
import io.wsgate.testing.ManualScheduler;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.wsgate.jetty.RawFrames.MASK;
import static io.wsgate.jetty.RawFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Keepalive through the Jetty transport, with peers on raw sockets speaking WebSocket by hand: a client or a
 * backend that stops answering is dropped after the gateway's ping times out, and the other side gets 1001
 * or 1011; a client that answers stays, with its own pings relayed end to end and the gateway's pongs never
 * reaching it. The gateway's timers run on the test's {@link ManualScheduler}: no sleep.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Mount.class)
class KeepAliveEndToEndTest extends PolicyTestBase {

    private static final Duration INTERVAL = Duration.ofSeconds(30);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int PING = 0x9;
    private static final int PONG = 0xA;

    private final ManualScheduler time = ManualScheduler.startingAt(Instant.now());
    private AccessLogLines log;

    KeepAliveEndToEndTest(Mount mount) {
        super(mount);
    }

    @BeforeEach
    void captureTheAccessLog() {
        log = AccessLogLines.capture();
    }

    @AfterEach
    void noTimerOutlivesItsPair() {
        try {
            if (gateway != null) {
                await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                    assertThat(gateway.gateway().openPairs()).isZero();
                    assertThat(gateway.gateway().pairDeadlines()).isZero();
                    assertThat(time.pending()).isZero();
                });
            }
        } finally {
            log.close();
        }
    }

    private void startGateway(ApiDefinition.Builder api) throws Exception {
        startGateway(GatewayConfig.builder().scheduler(time).clock(time.clock())
                .api(api.limits(ApiLimits.ofDefaults().withKeepAlive(INTERVAL, TIMEOUT)).build()).build());
    }

    /** Waits until the pair is established and its keepalive armed (the only timer of a quiet pair). */
    private void awaitPair() {
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.gateway().openPairs() == 1 && time.pending() == 1);
    }

    private static String text(RawFrames.Read f) {
        return new String(f.payload(), StandardCharsets.UTF_8);
    }

    /** Reads frames until one with this opcode; a pong of the gateway's on the way fails the test. */
    private static RawFrames.Read readUntil(InputStream in, int opcode) throws IOException {
        while (true) {
            RawFrames.Read f = RawFrames.read(in);
            if (f.opcode() == PONG) {
                assertThat(text(f)).as("the gateway's own pongs never reach a peer").doesNotStartWith("wsgate-ka:");
            }
            if (f.opcode() == opcode) {
                return f;
            }
        }
    }

    @Test
    void aClientThatStopsAnsweringIsDroppedAndTheBackendGets1001() throws Exception {
        startGateway(api("echo", "/echo", "/backend"));
        try (Socket s = upgradedRawClient("/echo")) {
            InputStream in = s.getInputStream();
            awaitPair();

            time.advance(INTERVAL);
            RawFrames.Read ping = readUntil(in, PING);
            assertThat(text(ping)).startsWith("wsgate-ka:");
            // the client answers nothing
            time.advance(TIMEOUT);

            CloseStatus atBackend = backend.closes.poll(10, TimeUnit.SECONDS);
            assertThat(atBackend).isNotNull();
            assertThat(atBackend.getCode()).isEqualTo(1001);
            assertThat(atBackend.getReason()).isEqualTo("Client keepalive timeout");
            Throwable end = catchThrowable(() -> {
                while (true) {
                    RawFrames.Read f = RawFrames.read(in);
                    assertThat(f.opcode()).as("dropped, not closed: no close frame").isNotEqualTo(0x8);
                }
            });
            assertThat(end).as("the client's connection was dropped").isInstanceOf(IOException.class);
        }
        Map<String, String> line = log.pairOf("echo");
        assertThat(line).containsEntry("closedBy", "GATEWAY").containsEntry("closeCause", "KEEPALIVE")
                .containsEntry("clientCloseCode", "1006").containsEntry("backendCloseCode", "1001");
    }

    @Test
    void aBackendThatStopsAnsweringIsDroppedAndTheClientGets1011() throws Exception {
        BlockingQueue<String> atBackend = new LinkedBlockingQueue<>();
        try (RawBackend silent = new RawBackend((key, in, out, s) -> {
            RawBackend.answer101(out, RawFrames.accept(key));
            s.setSoTimeout(0);
            while (true) {
                // reads everything, answers nothing (not even pings)
                RawFrames.Read f = RawFrames.read(in);
                atBackend.add(f.opcode() + " " + text(f));
            }
        })) {
            startGateway(ApiDefinition.builder("silent").backend(silent.url()).urlSuffix("/silent"));
            try (Socket s = upgradedRawClient("/silent")) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                awaitPair();

                time.advance(INTERVAL);
                RawFrames.Read ping = readUntil(in, PING);
                out.write(frame(0x80 | PONG, ping.payload(), MASK));
                // the client's next frame reaches the backend only after its pong was read
                out.write(frame(0x81, "after the pong".getBytes(StandardCharsets.UTF_8), MASK));
                out.flush();
                assertThat(atBackend.poll(10, TimeUnit.SECONDS)).startsWith(PING + " wsgate-ka:");
                assertThat(atBackend.poll(10, TimeUnit.SECONDS)).isEqualTo("1 after the pong");
                time.advance(TIMEOUT);

                RawFrames.Read close = RawFrames.readUntilClose(in);
                assertThat(close.closeCode()).isEqualTo(1011);
                assertThat(new String(close.payload(), 2, close.payload().length - 2, StandardCharsets.UTF_8))
                        .isEqualTo("Backend keepalive timeout");
                out.write(frame(0x88, RawFrames.close(1011, new byte[0]), MASK));
                out.flush();
                assertThat(silent.done).as("the backend's connection was dropped")
                        .failsWithin(Duration.ofSeconds(10));
            }
        }
        Map<String, String> line = log.pairOf("silent");
        assertThat(line).containsEntry("closedBy", "GATEWAY").containsEntry("closeCause", "KEEPALIVE")
                .containsEntry("clientCloseCode", "1011").containsEntry("backendCloseCode", "1006");
    }

    @Test
    void aClientThatAnswersStaysAndItsOwnPingsAreAnsweredEndToEnd() throws Exception {
        startGateway(api("echo", "/echo", "/backend"));
        try (Socket s = upgradedRawClient("/echo")) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            awaitPair();

            for (int round = 0; round < 3; round++) {
                time.advance(INTERVAL);
                RawFrames.Read ping = readUntil(in, PING);
                assertThat(text(ping)).startsWith("wsgate-ka:");
                out.write(frame(0x80 | PONG, ping.payload(), MASK));
                // the client's own ping goes to the backend, behind the gateway's; its pong comes back, the gateway's does not
                byte[] own = ("client ping " + round).getBytes(StandardCharsets.UTF_8);
                out.write(frame(0x80 | PING, own, MASK));
                out.flush();
                RawFrames.Read pong = readUntil(in, PONG);
                assertThat(text(pong)).isEqualTo("client ping " + round);
                time.advance(TIMEOUT);
                assertThat(gateway.gateway().openPairs()).isOne();
            }

            out.write(frame(0x88, RawFrames.close(1000, "bye".getBytes(StandardCharsets.UTF_8)), MASK));
            out.flush();
            assertThat(readUntil(in, 0x8).closeCode()).isEqualTo(1000);
        }
        CloseStatus atBackend = backend.closes.poll(10, TimeUnit.SECONDS);
        assertThat(atBackend).isNotNull();
        assertThat(atBackend.getCode()).isEqualTo(1000);
        assertThat(log.pairOf("echo")).containsEntry("closedBy", "CLIENT").containsEntry("closeCause", "NORMAL");
    }

    @Test
    void aPingForALegWhoseWriteIsStuckWaitsForItAndEveryFrameArrivesWhole() throws Exception {
        int frames = 256;
        int size = 60_000;
        java.util.concurrent.CountDownLatch read = new java.util.concurrent.CountDownLatch(1);
        BlockingQueue<String> pingsAtBackend = new LinkedBlockingQueue<>();
        try (RawBackend slow = new RawBackend((key, in, out, s) -> {
            RawBackend.answer101(out, RawFrames.accept(key));
            s.setSoTimeout(0);
            read.await(); // reads nothing until told: the gateway's writes to it stall
            int data = 0;
            while (data < frames) {
                RawFrames.Read f = RawFrames.read(in);
                if (f.opcode() == PING) {
                    pingsAtBackend.add(text(f));
                    out.write(frame(0x80 | PONG, f.payload(), null));
                } else {
                    assertThat(f.opcode()).isEqualTo(0x2);
                    assertThat(f.payload()).hasSize(size);
                    assertThat(f.payload()[0]).isEqualTo((byte) data);
                    data++;
                }
            }
            out.write(frame(0x81, "got all".getBytes(StandardCharsets.UTF_8), null));
            out.flush();
            RawFrames.Read close = RawFrames.readUntilClose(in);
            out.write(frame(0x88, RawFrames.close(close.closeCode(), new byte[0]), null));
            out.flush();
        })) {
            startGateway(ApiDefinition.builder("slow").backend(slow.url()).urlSuffix("/slow"));
            try (Socket s = upgradedRawClient("/slow")) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                awaitPair();
                java.util.concurrent.atomic.AtomicInteger written = new java.util.concurrent.atomic.AtomicInteger();
                java.util.concurrent.CompletableFuture<Void> flood = java.util.concurrent.CompletableFuture.runAsync(() -> {
                    try {
                        for (int i = 0; i < frames; i++) {
                            byte[] payload = new byte[size];
                            payload[0] = (byte) i;
                            out.write(frame(0x82, payload, MASK));
                            written.incrementAndGet();
                        }
                        out.flush();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                await().atMost(Duration.ofSeconds(10)).until(() -> written.get() >= 16);

                // the backend sent nothing for the interval: pinged, behind the data frame being written to it
                time.advance(INTERVAL);
                read.countDown();
                assertThat(text(readUntil(in, 0x1))).isEqualTo("got all");
                flood.get(10, TimeUnit.SECONDS);
                assertThat(pingsAtBackend).singleElement().satisfies(p -> assertThat(p).startsWith("wsgate-ka:"));
                time.advance(TIMEOUT);
                assertThat(gateway.gateway().openPairs()).as("the backend answered").isOne();

                out.write(frame(0x88, RawFrames.close(1000, new byte[0]), MASK));
                out.flush();
                assertThat(readUntil(in, 0x8).closeCode()).isEqualTo(1000);
            }
            slow.done.get(10, TimeUnit.SECONDS);
        }
    }
}
