package io.wsgate.jetty;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A client that reads everything up to the close and keeps only the count: at once, or once told to. */
final class DiscardingClient extends ClientHandler {
    final AtomicLong received = new AtomicLong();
    private volatile boolean reading;

    private DiscardingClient(boolean reading) {
        this.reading = reading;
    }

    /** @return a client that reads from the start */
    static DiscardingClient reading() {
        return new DiscardingClient(true);
    }

    /** @return a client that reads nothing until {@link #read()} */
    static DiscardingClient held() {
        return new DiscardingClient(false);
    }

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        session = coreSession;
        coreSession.setMaxFrameSize(16 * 1024 * 1024);
        callback.succeeded();
        if (reading) {
            coreSession.demand();
        }
    }

    /** Sends a frame and waits until it is written. */
    void send(byte opcode, boolean fin, ByteBuffer payload) throws Exception {
        Callback.Completable done = new Callback.Completable();
        session.sendFrame(new Frame(opcode, fin, payload), done, false);
        done.get(10, TimeUnit.SECONDS);
    }

    /** Starts reading, until the close. */
    void read() {
        reading = true;
        session.demand();
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        received.addAndGet(frame.getPayloadLength());
        callback.succeeded();
        if (frame.getOpCode() != OpCode.CLOSE && reading) {
            session.demand();
        }
    }
}
