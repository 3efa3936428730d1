package io.wsgate.jetty;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A real client on Jetty's websocket-core client that records every frame it receives (auto-demand). */
final class RecordingClient extends ClientHandler {

    final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();

    static RecordingClient connect(WebSocketCoreClient client, String uri, String... subprotocols) throws Exception {
        RecordingClient handler = new RecordingClient();
        CoreClientUpgradeRequest req = CoreClientUpgradeRequest.from(client, URI.create(uri), handler);
        req.setSubProtocols(subprotocols);
        handler.session = client.connect(req).get(10, TimeUnit.SECONDS);
        return handler;
    }

    /** Connects, has one text message echoed through, and closes with 1000 (answered with 1000). */
    static void echoOnce(WebSocketCoreClient client, String uri, String text) throws Exception {
        RecordingClient c = connect(client, uri);
        c.sendText(text);
        assertThat(TestBackend.text(c.nextData())).isEqualTo(text);
        c.session.close(1000, "", Callback.NOOP);
        assertThat(c.awaitClosed().getCode()).isEqualTo(1000);
    }

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        session = coreSession;
        coreSession.setMaxFrameSize(16 * 1024 * 1024);
        coreSession.setAutoFragment(false);
        callback.succeeded();
        coreSession.demand();
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        frames.add(Frame.copy(frame));
        callback.succeeded();
        if (frame.getOpCode() != OpCode.CLOSE) {
            session.demand();
        }
    }


    void send(byte opcode, boolean fin, ByteBuffer payload) throws Exception {
        Callback.Completable done = new Callback.Completable();
        session.sendFrame(new Frame(opcode, fin, payload), done, false);
        done.get(10, TimeUnit.SECONDS);
    }

    void sendText(String s) throws Exception {
        send(OpCode.TEXT, true, ByteBuffer.wrap(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    Frame next() throws InterruptedException {
        Frame f = frames.poll(10, TimeUnit.SECONDS);
        assertThat(f).as("a frame within 10 s").isNotNull();
        return f;
    }

    /** Waits for the next data frame, skipping control frames. */
    Frame nextData() throws InterruptedException {
        while (true) {
            Frame f = next();
            if (f.isDataFrame()) {
                return f;
            }
        }
    }

    CloseStatus awaitClosed() throws Exception {
        return closed.get(10, TimeUnit.SECONDS);
    }

    List<Frame> drain() {
        List<Frame> out = new java.util.ArrayList<>();
        frames.drainTo(out);
        return out;
    }
}
