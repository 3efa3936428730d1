package io.wsgate.redis;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A real WebSocket client on Jetty's websocket-core that records the text it receives and how it was closed. */
final class TestClient implements FrameHandler {

    private final BlockingQueue<Frame> data = new LinkedBlockingQueue<>();
    private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
    private volatile CoreSession session;

    static TestClient connect(WebSocketCoreClient client, String uri) throws Exception {
        TestClient handler = new TestClient();
        client.connect(CoreClientUpgradeRequest.from(client, URI.create(uri), handler)).get(10, TimeUnit.SECONDS);
        return handler;
    }

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        session = coreSession;
        callback.succeeded();
        coreSession.demand();
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        if (frame.isDataFrame()) {
            data.add(Frame.copy(frame));
        }
        callback.succeeded();
        if (frame.getOpCode() != OpCode.CLOSE) {
            session.demand();
        }
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        closed.complete(closeStatus);
        callback.succeeded();
    }

    void send(byte opcode, ByteBuffer payload) throws Exception {
        Callback.Completable done = new Callback.Completable();
        session.sendFrame(new Frame(opcode, true, payload), done, false);
        done.get(10, TimeUnit.SECONDS);
    }

    void sendText(String text) throws Exception {
        send(OpCode.TEXT, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** @return the next text received, within 10 s */
    String nextText() throws InterruptedException {
        Frame f = data.poll(10, TimeUnit.SECONDS);
        assertThat(f).as("a data frame within 10 s").isNotNull();
        return StandardCharsets.UTF_8.decode(f.getPayload().slice()).toString();
    }

    /** Closes with 1000 and waits for the answer. */
    void closeNormally() throws Exception {
        session.close(1000, "", Callback.NOOP);
        assertThat(awaitClosed().getCode()).isEqualTo(1000);
    }

    CloseStatus awaitClosed() throws Exception {
        return closed.get(10, TimeUnit.SECONDS);
    }
}
