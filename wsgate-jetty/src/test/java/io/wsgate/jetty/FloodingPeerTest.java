package io.wsgate.jetty;

import io.wsgate.api.ApiDefinition;
import io.wsgate.core.GatewayConfig;
import io.wsgate.testing.ManualScheduler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.wsgate.jetty.RawFrames.MASK;
import static io.wsgate.jetty.RawFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A peer that sends as fast as it can does not keep the gateway to itself. Relayed frames are read on
 * the selector thread (one selector here, for every connection of each side); websocket-core reads on
 * as long as each frame's relay completes at once, so without a budget per turn ({@code ReadBudget})
 * a flooding client or backend would hold its selector and stall every other connection on it,
 * handshakes included.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Mount.class)
class FloodingPeerTest extends PolicyTestBase {

    /** The gateway's timers: the flooder's backend never answers the close, and waits for its deadline (so does its client). */
    private final ManualScheduler time = ManualScheduler.startingAt(Instant.now());

    FloodingPeerTest(Mount mount) {
        super(mount);
    }

    private void start(ApiDefinition... apis) throws Exception {
        startGateway(GatewayConfig.builder().scheduler(time).clock(time.clock()).api(apis).build());
    }

    /** Runs the close deadlines of the peers that never answer the gateway's close, until no pair is left. */
    private void closeDeadlinesPass() {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            time.advance(Duration.ofSeconds(5));
            return gateway.gateway().openPairs() == 0;
        });
    }

    @Test
    void aSecondClientIsServedWhileAClientFloodsItsBackend() throws Exception {
        AtomicLong sunk = new AtomicLong();
        try (RawBackend sink = new RawBackend((key, in, out, s) -> {
            RawBackend.answer101(out, RawFrames.accept(key));
            s.setSoTimeout(0);
            byte[] b = new byte[64 * 1024];
            for (int n; (n = in.read(b)) >= 0; ) {
                sunk.addAndGet(n);
            }
        })) {
            start(ApiDefinition.builder("sink").backend(sink.url()).urlSuffix("/sink").build(),
                    api("echo", "/echo", "/backend").build());

            ByteArrayOutputStream chunk = new ByteArrayOutputStream();
            byte[] one = frame(0x82, new byte[125], MASK);
            while (chunk.size() < 64 * 1024) {
                chunk.writeBytes(one);
            }
            byte[] flood = chunk.toByteArray();
            try (Socket s = new Socket("127.0.0.1", gatewayPort())) {
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                out.write(upgradeRequest("/sink").getBytes(StandardCharsets.ISO_8859_1));
                assertThat(readResponse(in).status()).isEqualTo(101);
                Thread flooder = new Thread(() -> {
                    try {
                        while (true) {
                            out.write(flood);
                        }
                    } catch (Exception stopped) {
                        // the socket was closed: the flood ends
                    }
                }, "flooder");
                flooder.setDaemon(true);
                flooder.start();
                await().atMost(Duration.ofSeconds(10)).until(() -> sunk.get() > 4 * 1024 * 1024);

                echoOnce("while a client floods");
                assertThat(flooder.isAlive()).as("the flood went on meanwhile").isTrue();
            }
            closeDeadlinesPass();
        }
    }

    @Test
    void aSecondClientIsServedWhileABackendFloodsItsClient() throws Exception {
        start(api("echo", "/echo", "/backend").build());
        DiscardingClient reader = DiscardingClient.reading();
        client.connect(CoreClientUpgradeRequest.from(client, URI.create(gw("/echo")), reader)).get(10, TimeUnit.SECONDS);
        long total = 1L << 40; // more than the test will ever read: the backend streams until closed
        reader.session.sendFrame(new Frame(OpCode.TEXT, true, "send:" + total), Callback.NOOP, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> reader.received.get() > 4 * 1024 * 1024);

        echoOnce("while a backend floods");
        long before = reader.received.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> reader.received.get() > before);

        reader.session.close(1000, "enough", Callback.NOOP);
        // the backend, busy streaming, never reads the relayed close: the client's answer comes at the deadline
        closeDeadlinesPass();
        assertThat(reader.closed.get(10, TimeUnit.SECONDS)).isNotNull();
    }

    private void echoOnce(String text) throws Exception {
        RecordingClient c = RecordingClient.connect(client, gw("/echo"));
        c.send(OpCode.TEXT, true, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        assertThat(TestBackend.text(c.nextData())).isEqualTo(text);
        c.session.close(1000, "", Callback.NOOP);
        assertThat(c.awaitClosed().getCode()).isEqualTo(1000);
    }
}
