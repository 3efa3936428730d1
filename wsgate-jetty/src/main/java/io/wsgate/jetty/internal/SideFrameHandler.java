package io.wsgate.jetty.internal;

import io.wsgate.api.ApiLimits;
import io.wsgate.api.Completion;
import io.wsgate.api.Frame;
import io.wsgate.api.FrameType;
import io.wsgate.core.PairRelay;
import io.wsgate.core.Peer;
import io.wsgate.core.Scheduler;
import io.wsgate.core.SideEnd;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.exception.CloseException;
import org.eclipse.jetty.websocket.core.exception.WebSocketTimeoutException;
import org.eclipse.jetty.websocket.core.exception.WebSocketWriteTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The websocket-core {@link FrameHandler} of one connection of a pair (the client's or the
 * backend's). It never auto-demands: it demands a frame only after the relay has written the
 * previous one to the other side. Frames become {@link Frame}s on the same payload buffer; the
 * connection's end becomes a {@link SideEnd} for the relay.
 */
public final class SideFrameHandler implements FrameHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SideFrameHandler.class);
    private static final Scheduler.Task ENDED = () -> { };

    private final Peer peer;
    private final ApiLimits limits;
    private final Executor pool;
    private final Runnable demandNow = this::demandNow;
    private final Consumer<SideFrameHandler> onOpen;
    private volatile CoreSession session;
    private volatile PairRelay relay;
    private volatile SideEnd end;
    private volatile Throwable error;
    /** The close handshake's deadline once the gateway has sent its close frame; {@link #ENDED} once closed. */
    private final AtomicReference<Scheduler.Task> closeDeadline = new AtomicReference<>();
    /** TEXT or BINARY: the opcode of the fragmented message in progress (single reader). */
    private byte messageOpCode = OpCode.UNDEFINED;

    /**
     * @param peer   which connection this handles
     * @param limits the API's limits (frame size, idle timeout)
     * @param pool   where reads go on when a thread has relayed its turn's frames ({@link ReadBudget})
     * @param onOpen told once the session is open (before any demand)
     */
    public SideFrameHandler(Peer peer, ApiLimits limits, Executor pool, Consumer<SideFrameHandler> onOpen) {
        this.peer = peer;
        this.limits = limits;
        this.pool = pool;
        this.onOpen = onOpen;
    }

    /** @return the session, once open */
    public CoreSession session() {
        return session;
    }

    /** @return true once the connection has ended */
    public boolean isEnded() {
        return end != null;
    }

    /**
     * Hands this connection to its pair's relay; an end that happened before is reported now.
     * Frames are read only after {@link #demand()}.
     */
    public void attach(PairRelay pairRelay) {
        relay = pairRelay;
        SideEnd e = end;
        if (e != null) {
            pairRelay.ended(peer, e);
        }
    }

    /** Asks for the next frame (within this thread's {@link ReadBudget} turn). */
    public void demand() {
        ReadBudget.demand(demandNow, pool);
    }

    private void demandNow() {
        CoreSession s = session;
        if (s == null) {
            return;
        }
        try {
            s.demand();
        } catch (RuntimeException e) {
            // Closed or closing: nothing more to read.
            if (LOG.isDebugEnabled()) {
                LOG.debug("{}: demand refused: {}", peer, e.toString());
            }
        }
    }

    /**
     * Aborts the connection if it has not closed within this time (the gateway has sent, or is sending,
     * its close frame; a peer that neither answers nor leaves must not hold the connection). Only the
     * first call counts; the deadline is cancelled when the connection closes.
     *
     * @param timeout   how long the close handshake may take
     * @param scheduler runs the deadline
     */
    void abortUnlessClosedWithin(Duration timeout, Scheduler scheduler) {
        if (closeDeadline.get() != null) {
            return;
        }
        Scheduler.Task deadline = scheduler.schedule(timeout, () -> {
            CoreSession s = session;
            if (s != null && closeDeadline.get() != ENDED) {
                if (LOG.isDebugEnabled()) {
                    LOG.debug("{}: no answer to the close frame within {}; aborting", peer, timeout);
                }
                s.abort();
            }
        });
        if (!closeDeadline.compareAndSet(null, deadline)) {
            deadline.cancel();
        }
    }

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        session = coreSession;
        coreSession.setMaxFrameSize(limits.maxFrameSize());
        coreSession.setAutoFragment(false);
        coreSession.setIdleTimeout(limits.idleTimeout());
        coreSession.addIdleTimeoutListener(this::onIdleTimeout);
        callback.succeeded();
        if (onOpen != null) {
            onOpen.accept(this);
        }
    }

    /** No frame crossed the pair within the idle timeout: the gateway closes both sides with 1001. */
    private boolean onIdleTimeout(WebSocketTimeoutException timeout) {
        PairRelay r = relay;
        if (r == null || r.isClosed()) {
            return true;
        }
        r.close(1001, "Idle timeout");
        return false;
    }

    @Override
    public void onFrame(org.eclipse.jetty.websocket.core.Frame frame, Callback callback) {
        PairRelay r = relay;
        if (r == null) {
            callback.succeeded();
            return;
        }
        Frame f;
        byte op = frame.getOpCode();
        boolean fin = frame.isFin();
        switch (op) {
            case OpCode.TEXT, OpCode.BINARY -> {
                boolean text = op == OpCode.TEXT;
                if (fin) {
                    f = new Frame(text ? FrameType.UTF8_MESSAGE : FrameType.BINARY_MESSAGE, frame.getPayload(), true, true);
                } else {
                    messageOpCode = op;
                    f = new Frame(text ? FrameType.UTF8_FRAGMENT : FrameType.BINARY_FRAGMENT, frame.getPayload(), true, false);
                }
            }
            case OpCode.CONTINUATION -> f = new Frame(messageOpCode == OpCode.TEXT ? FrameType.UTF8_FRAGMENT : FrameType.BINARY_FRAGMENT,
                    frame.getPayload(), false, fin);
            case OpCode.CLOSE -> f = new Frame(FrameType.CLOSE, frame.getPayload(), true, true);
            case OpCode.PING -> f = new Frame(FrameType.PING, frame.getPayload(), true, true);
            case OpCode.PONG -> f = new Frame(FrameType.PONG, frame.getPayload(), true, true);
            default -> {
                callback.failed(new IllegalStateException("unexpected opcode " + op));
                return;
            }
        }
        boolean close = op == OpCode.CLOSE;
        r.forward(peer.sends(), f, new Completion() {
            @Override
            public void succeeded() {
                callback.succeeded();
                if (!close) {
                    demand();
                }
            }

            @Override
            public void failed(Throwable cause) {
                // The relay has closed both sides already; keep reading to finish this side's close handshake.
                callback.succeeded();
                if (!close) {
                    demand();
                }
            }
        });
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        error = cause;
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: error {}", peer, cause.toString());
        }
        callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        Scheduler.Task deadline = closeDeadline.getAndSet(ENDED);
        if (deadline != null) {
            deadline.cancel();
        }
        SideEnd e = toSideEnd(closeStatus, error != null ? error : closeStatus.getCause());
        end = e;
        PairRelay r = relay;
        if (r != null) {
            r.ended(peer, e);
        }
        callback.succeeded();
    }

    static SideEnd toSideEnd(CloseStatus status, Throwable cause) {
        int code = status.getCode();
        String reason = status.getReason() == null ? "" : status.getReason();
        if (cause instanceof WebSocketTimeoutException && !(cause instanceof WebSocketWriteTimeoutException)) {
            return new SideEnd(SideEnd.Kind.IDLE_TIMEOUT, code, reason);
        }
        if (cause instanceof CloseException ce) {
            return new SideEnd(SideEnd.Kind.PROTOCOL_ERROR, ce.getStatusCode(), reason);
        }
        if (cause instanceof EofException || cause instanceof ClosedChannelException || cause instanceof IOException) {
            return new SideEnd(SideEnd.Kind.DISCONNECTED, CloseStatus.NO_CLOSE, reason);
        }
        if (cause != null) {
            return new SideEnd(SideEnd.Kind.FAILED, code, reason);
        }
        if (code == CloseStatus.NO_CLOSE) {
            return new SideEnd(SideEnd.Kind.DISCONNECTED, code, reason);
        }
        return new SideEnd(SideEnd.Kind.CLOSED, code, reason);
    }

    @Override
    public String toString() {
        return "SideFrameHandler[" + peer + "]";
    }
}
