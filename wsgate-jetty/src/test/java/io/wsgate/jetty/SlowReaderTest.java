package io.wsgate.jetty;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A backend sends 64 MiB to a client that stops reading: the gateway stops reading the backend
 * (one frame in flight), so the backend stalls with at most the sockets' buffers between them,
 * not the 64 MiB a buffering proxy would have taken in. "Stalls" is seen, not assumed: the
 * backend has sent frames and a write of its waits.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Mount.class)
class SlowReaderTest extends GatewayTestBase {

    private static final long TOTAL = 64L * 1024 * 1024;
    /** What two loopback hops of kernel socket buffers can hold, with margin; far below 64 MiB. */
    private static final long SOCKET_BUFFERS = 24L * 1024 * 1024;

    /** Reads only as many frames as the test allows. */
    static final class SlowClient extends ClientHandler {
        final Semaphore permits = new Semaphore(0);
        final AtomicLong received = new AtomicLong();
        final CompletableFuture<Long> all = new CompletableFuture<>();
        final AtomicLong maxGap = new AtomicLong();
        volatile AtomicLong backendSent;
        volatile boolean flowing;

        @Override
        public void onOpen(CoreSession coreSession, Callback callback) {
            session = coreSession;
            coreSession.setMaxFrameSize(1024 * 1024);
            callback.succeeded();
        }

        @Override
        public void onFrame(Frame frame, Callback callback) {
            if (frame.getOpCode() == OpCode.BINARY || frame.getOpCode() == OpCode.CONTINUATION) {
                long r = received.addAndGet(frame.getPayloadLength());
                maxGap.accumulateAndGet(backendSent.get() - r, Math::max);
                if (r >= TOTAL) {
                    all.complete(r);
                }
            }
            callback.succeeded();
            if (flowing && !all.isDone()) {
                session.demand();
            }
        }

        void read(int frames) {
            for (int i = 0; i < frames; i++) {
                session.demand();
            }
        }

    }

    SlowReaderTest(Mount mount) {
        super(mount);
    }

    @Test
    void aClientThatStopsReadingStallsTheBackendInsteadOfFillingTheGateway() throws Exception {
        startGateway(api("echo", "/echo", "/backend").build());
        SlowClient slow = new SlowClient();
        slow.backendSent = backend.sentBytes;
        client.connect(CoreClientUpgradeRequest.from(client, URI.create(gw("/echo")), slow)).get(10, TimeUnit.SECONDS);
        Callback.Completable sent = new Callback.Completable();
        slow.session.sendFrame(new Frame(OpCode.TEXT, true, ByteBuffer.wrap(("send:" + TOTAL).getBytes(StandardCharsets.UTF_8))),
                sent, false);
        sent.get(10, TimeUnit.SECONDS);

        // Wait until the backend stalls, without the client reading anything: it has sent frames, and its
        // next write waits (handed to its session, not written) while its sent count stays where it is.
        // A backend that has not started yet is not stalled; one that sent everything was never held back.
        AtomicLong last = new AtomicLong(-1);
        AtomicInteger still = new AtomicInteger();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> backend.sentBytes.get() >= TOTAL || heldBack(last, still));
        long stalledAt = backend.sentBytes.get();
        assertThat(stalledAt).as("bytes the backend sent before it was held back").isPositive();
        assertThat(stalledAt).as("bytes the backend could push past a client that reads nothing").isLessThan(SOCKET_BUFFERS);
        assertThat(slow.received.get()).as("what the client read").isZero();
        assertThat(gateway.gateway().pairs()).singleElement()
                .satisfies(p -> assertThat(p.bytes(io.wsgate.api.Direction.BACKEND_TO_CLIENT)).isLessThan(SOCKET_BUFFERS));

        // Now read everything: all 64 MiB arrive, the backend never more than the sockets' buffers ahead.
        slow.flowing = true;
        slow.read(1);
        assertThat(slow.all.get(60, TimeUnit.SECONDS)).isEqualTo(TOTAL);
        assertThat(slow.maxGap.get()).isLessThan(SOCKET_BUFFERS);
        assertThat(slow.received.get()).isEqualTo(TOTAL);
        slow.session.close(1000, "", Callback.NOOP);
        slow.read(1);
        assertThat(slow.closed.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(1000);
    }

    /**
     * Whether the backend is held back: it has sent something, a write of its is waiting, and its
     * sent count has not moved over the last few polls ({@code last}, {@code still}: the previous
     * count and for how many polls it stayed).
     */
    private boolean heldBack(AtomicLong last, AtomicInteger still) {
        long sent = backend.sentBytes.get();
        boolean waiting = backend.startedBytes.get() > sent;
        if (sent == 0 || !waiting || last.getAndSet(sent) != sent) {
            still.set(0);
            return false;
        }
        return still.incrementAndGet() >= 3;
    }
}
