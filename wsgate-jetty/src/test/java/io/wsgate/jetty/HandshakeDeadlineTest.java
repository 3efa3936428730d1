package io.wsgate.jetty;

import org.eclipse.jetty.websocket.core.Frame;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class HandshakeDeadlineTest extends GatewayTestBase {

    @Test
    void dropsAHandshakeTrickledByteByByteWithinTheDeadline() throws Exception {
        startGateway(api("echo", "/echo", "/backend").build());
        HandshakeDeadline deadline = HandshakeDeadline.install(gatewayServer.getConnectors()[0], Duration.ofMillis(500));
        byte[] request = upgradeRequest("/echo").getBytes(StandardCharsets.ISO_8859_1);
        AtomicInteger sent = new AtomicInteger();
        ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();
        try (Socket socket = new Socket("127.0.0.1", gatewayPort())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            // One byte every 50 ms: each byte would reset an idle timeout; the whole request would take ~8 s.
            ScheduledFuture<?> trickle = trickler.scheduleAtFixedRate(() -> {
                int i = sent.get();
                if (i < request.length - 1) {
                    try {
                        out.write(request[i]);
                        out.flush();
                        sent.incrementAndGet();
                    } catch (IOException closed) {
                        throw new IllegalStateException(closed);
                    }
                }
            }, 0, 50, TimeUnit.MILLISECONDS);
            InputStream in = socket.getInputStream();
            int read;
            try {
                read = in.read();
            } catch (SocketException reset) {
                read = -1;
            }
            trickle.cancel(false);
            assertThat(read).as("the gateway closed the connection instead of answering").isEqualTo(-1);
            assertThat(sent.get()).as("closed before the request was complete").isLessThan(request.length - 1);
        } finally {
            trickler.shutdownNow();
        }
        assertThat(backend.handshakes).as("no backend connection").isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> deadline.watched() == 0);
    }

    @Test
    void leavesAnEstablishedPairAlone() throws Exception {
        startGateway(api("echo", "/echo", "/backend").build());
        HandshakeDeadline deadline = HandshakeDeadline.install(gatewayServer.getConnectors()[0], Duration.ofMillis(200));
        RecordingClient c = RecordingClient.connect(client, gw("/echo"));
        await().atMost(Duration.ofSeconds(10)).until(() -> deadline.watched() == 0);
        c.sendText("still here");
        Frame echoed = c.nextData();
        assertThat(TestBackend.text(echoed)).isEqualTo("still here");
        c.session.close(1000, "done", org.eclipse.jetty.util.Callback.NOOP);
        assertThat(c.awaitClosed().getCode()).isEqualTo(1000);
    }

    @Test
    void refusesADeadlineThatIsNotPositive() throws Exception {
        startGateway(api("echo", "/echo", "/backend").build());
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> HandshakeDeadline.install(gatewayServer.getConnectors()[0], Duration.ZERO))
                .hasMessageContaining("positive");
    }
}
