package io.wsgate.jetty.internal;

import io.wsgate.api.Completion;
import io.wsgate.api.Frame;
import io.wsgate.api.FrameType;
import io.wsgate.core.TransportSide;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.OpCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One connection of a pair as a websocket-core {@link CoreSession}: frames written as they came, payload not copied. */
final class JettySide implements TransportSide {

    private static final Logger LOG = LoggerFactory.getLogger(JettySide.class);

    private final CoreSession session;

    JettySide(CoreSession session) {
        this.session = session;
    }

    @Override
    public void send(Frame frame, Completion done) {
        org.eclipse.jetty.websocket.core.Frame out = new org.eclipse.jetty.websocket.core.Frame(opCode(frame), frame.last(),
                frame.payload());
        session.sendFrame(out, new WriteCallback(done), false);
    }

    static byte opCode(Frame frame) {
        FrameType type = frame.type();
        return switch (type) {
            case UTF8_MESSAGE -> OpCode.TEXT;
            case BINARY_MESSAGE -> OpCode.BINARY;
            case UTF8_FRAGMENT -> frame.first() ? OpCode.TEXT : OpCode.CONTINUATION;
            case BINARY_FRAGMENT -> frame.first() ? OpCode.BINARY : OpCode.CONTINUATION;
            case CLOSE -> OpCode.CLOSE;
            case PING -> OpCode.PING;
            case PONG -> OpCode.PONG;
        };
    }

    @Override
    public void close(int code, String reason) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("closing {} with {} {}", session, code, reason);
        }
        session.close(code, reason, Callback.from(() -> { }, x -> {
            if (LOG.isDebugEnabled()) {
                LOG.debug("close {} of {} failed: {}", code, session, x.toString());
            }
        }));
    }

    @Override
    public void abort() {
        session.abort();
    }

    /** Completes the relay's completion when Jetty has written the frame; never blocks. */
    private record WriteCallback(Completion done) implements Callback {
        @Override
        public void succeeded() {
            done.succeeded();
        }

        @Override
        public void failed(Throwable cause) {
            done.failed(cause);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    }
}
