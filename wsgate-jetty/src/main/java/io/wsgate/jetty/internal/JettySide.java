package io.wsgate.jetty.internal;

import io.wsgate.api.Completion;
import io.wsgate.api.Frame;
import io.wsgate.api.FrameType;
import io.wsgate.core.Scheduler;
import io.wsgate.core.TransportSide;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.OpCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * One connection of a pair as a websocket-core {@link CoreSession}: frames written as they came, payload not copied.
 *
 * <p>Every close frame the gateway writes, its own or relayed, starts a real close handshake: the connection
 * stays open, and is read (the relay drops what it reads), until the peer answers with its close frame or drops
 * the connection, and for {@link #CLOSE_HANDSHAKE_TIMEOUT} at most: then it is aborted, whether the peer stayed
 * silent or kept sending. See {@link HandshakeClose}.
 */
final class JettySide implements TransportSide {

    private static final Logger LOG = LoggerFactory.getLogger(JettySide.class);

    /** The longest a peer may take to answer the gateway's close frame before its connection is aborted. */
    static final Duration CLOSE_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);

    private final SideFrameHandler side;
    private final CoreSession session;
    private final Scheduler scheduler;

    /**
     * @param side      the connection's frame handler, open
     * @param scheduler runs the close handshake's deadline
     */
    JettySide(SideFrameHandler side, Scheduler scheduler) {
        this.side = side;
        this.session = side.session();
        this.scheduler = scheduler;
    }

    @Override
    public void send(Frame frame, Completion done) {
        byte opCode = opCode(frame);
        if (opCode == OpCode.CLOSE) {
            sendClose(HandshakeClose.of(frame.payload()), new WriteCallback(done));
            return;
        }
        session.sendFrame(new org.eclipse.jetty.websocket.core.Frame(opCode, frame.last(), frame.payload()),
                new WriteCallback(done), false);
    }

    private void sendClose(org.eclipse.jetty.websocket.core.Frame close, Callback callback) {
        side.abortUnlessClosedWithin(CLOSE_HANDSHAKE_TIMEOUT, scheduler);
        session.sendFrame(close, callback, false);
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
        sendClose(HandshakeClose.of(new CloseStatus(code, reason)), Callback.from(() -> { }, x -> {
            if (LOG.isDebugEnabled()) {
                LOG.debug("close {} of {} failed: {}", code, session, x.toString());
            }
        }));
    }

    /**
     * A close frame that websocket-core sends as the start of a close handshake whatever its code.
     *
     * <p>Jetty treats a close frame it sends with any code but 1000, 1005 and 3000-4999 (so 1001, 1009,
     * 1011, ...) as an abnormal close (jetty/jetty.project#3809): it closes the TCP connection as soon as the frame
     * is written, without waiting for, or reading, the peer's answer. A peer still sending at that moment (a
     * backend echoing the fragments it was sent, say) then writes into a closed socket and gets a TCP reset,
     * often before it has read the close frame: it sees 1006, not the code the gateway sent. Jetty takes that
     * decision on {@link CloseStatus#getCloseStatus(org.eclipse.jetty.websocket.core.Frame)}, which a frame that
     * is a {@link CloseStatus.Supplier} answers itself: this one answers an ordinary close status, so Jetty
     * waits for the peer's close as it does after a 1000, while its payload carries the real code and reason.
     */
    static final class HandshakeClose extends org.eclipse.jetty.websocket.core.Frame implements CloseStatus.Supplier {
        /** What Jetty's close bookkeeping sees: an ordinary close. The peer's answer or end replaces it. */
        private static final CloseStatus ORDINARY = new CloseStatus(CloseStatus.NORMAL);

        private HandshakeClose(ByteBuffer payload) {
            super(OpCode.CLOSE, true, payload);
        }

        /** @return the close frame for this status: the status's code and reason on the wire */
        static org.eclipse.jetty.websocket.core.Frame of(CloseStatus status) {
            return of(status.asPayloadBuffer());
        }

        /** @return the close frame with this payload (a code and a reason, or nothing) on the wire */
        static org.eclipse.jetty.websocket.core.Frame of(ByteBuffer payload) {
            if (payload.remaining() < 2 || CloseStatus.isOrdinary(((payload.get(payload.position()) & 0xFF) << 8)
                    | (payload.get(payload.position() + 1) & 0xFF))) {
                // Jetty already waits for the answer to these.
                return new org.eclipse.jetty.websocket.core.Frame(OpCode.CLOSE, true, payload);
            }
            return new HandshakeClose(payload);
        }

        @Override
        public CloseStatus getCloseStatus() {
            return ORDINARY;
        }
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
