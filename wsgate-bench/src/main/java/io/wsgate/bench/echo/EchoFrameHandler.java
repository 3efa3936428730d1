package io.wsgate.bench.echo;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;

import java.nio.ByteBuffer;

/**
 * Echoes every data frame as it arrives (fragments stay fragments), answers pings with pongs,
 * and reads the next frame only when the echo has been written: no copy, no queue.
 */
public final class EchoFrameHandler implements FrameHandler {

    private CoreSession session;

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        this.session = coreSession;
        callback.succeeded();
        coreSession.demand();
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        byte opCode = frame.getOpCode();
        switch (opCode) {
            case OpCode.TEXT, OpCode.BINARY, OpCode.CONTINUATION -> {
                Frame echo = new Frame(opCode, frame.isFin(), frame.getPayload());
                session.sendFrame(echo, Callback.from(() -> {
                    callback.succeeded();
                    session.demand();
                }, callback::failed), false);
            }
            case OpCode.PING -> {
                ByteBuffer copy = ByteBuffer.allocate(frame.getPayloadLength());
                if (frame.hasPayload()) {
                    copy.put(frame.getPayload().slice()).flip();
                }
                callback.succeeded();
                session.sendFrame(new Frame(OpCode.PONG, copy), Callback.from(session::demand), false);
            }
            case OpCode.CLOSE -> callback.succeeded();
            default -> {
                callback.succeeded();
                session.demand();
            }
        }
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        callback.succeeded();
    }
}
