package io.wsgate.jetty.internal.relay;

import io.wsgate.api.ApiLimits;
import io.wsgate.api.CloseCause;
import io.wsgate.api.CloseStatus;
import io.wsgate.api.Completion;
import io.wsgate.api.Frame;
import io.wsgate.api.FrameType;
import io.wsgate.core.Scheduler;
import io.wsgate.core.transport.PairRelay;
import io.wsgate.core.transport.Peer;
import io.wsgate.core.transport.SideEnd;
import io.wsgate.core.transport.TransportSide;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.EventListener;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One connection of a pair, after its upgrade: the gateway's own RFC 6455 codec on a Jetty
 * {@link EndPoint}, in place of websocket-core's connection and session. This class is the glue: it
 * fills the end point's bytes into a pooled buffer, has the {@link FrameParser} cut one frame out of
 * them, hands it to the pair's relay as a slice of that buffer, and reads the next only when the relay
 * has written that one to the other side (explicit demand); it writes the frames the relay sends it
 * through the {@link FrameWriter}, each in one write (a small payload copied behind its header, a large one
 * gathered behind it), with the gateway's own keepalive pings between them (a ping waits for the data frame
 * being written, the next data frame for the ping); and it follows
 * its {@link CloseHandshake} for every close frame either way.
 *
 * <p><b>Why not websocket-core.</b> websocket-core unmasks a client's frame four bytes at a time in
 * big-endian order, then copies the payload into a new buffer while masking it for the backend; it
 * runs each frame through a flusher and iterating callbacks under locks the two sides contend for.
 * On wsgate-bench that was a third of the gateway's CPU on 16 KiB messages and most of its CPU
 * above the socket calls on 64-byte ones. Here both masks are one pass each, eight bytes at a time
 * ({@link Masks}): in place, except for a data frame of up to 256 bytes, copied behind its header and masked in
 * the copy, so that it goes out as one buffer.
 *
 * <p><b>A broken rule</b> (see {@link FrameParser}) fails the connection (§7.1.7): its close frame is
 * written, then the output is shut and what the peer still sends is dropped until it leaves.
 *
 * <p><b>Threads and the lock.</b> Reads are declared non-blocking, so a selector runs them itself, in
 * turns of at most {@link ReadBudget#FRAMES_PER_TURN} frames. One thread reads at a time. The state
 * the reader, the writer and the end share (who reads, whether a frame is with the relay or a write
 * in progress, the close handshake) is guarded by this object's monitor, which every frame takes
 * briefly (a few assignments, never across I/O or a call out): once when it is read and handed to the
 * relay, once when its write to the other side is started. The two sides of a pair never hold each
 * other's monitors, so it is uncontended except against this connection's own close or end.
 *
 * <p>Longer than the house's 400 lines: the state that monitor guards is this one object's, shared by
 * the reader, the writer and the end; the codec's parts that need none of it are in their own files.
 */
public final class RelayConnection extends AbstractConnection.NonBlocking implements Connection.UpgradeTo, TransportSide {

    private static final Logger LOG = LoggerFactory.getLogger(RelayConnection.class);

    /**
     * Bytes read from a relayed connection at once (websocket-core's default was 4 KiB), chosen from
     * wsgate-bench's measurements (wsgate-bench/README.md, "Performance"). A frame that does not fit in the
     * read buffer is gathered into a second one (a copy, and more reads); with 32 KiB, a 16 KiB frame arrives
     * in one read and is relayed as a slice of it. Idle pairs hold no read buffer (it is released when it is
     * empty), so this costs no memory per pair.
     */
    static final int INPUT_BUFFER_SIZE = 32 * 1024;

    /** What one attempt to read a frame ended with. */
    private enum Read { DELIVERED, NEED_FILL, STOP }

    private final Peer peer;
    /**
     * A TCP end point, where a read that leaves room in the buffer means the socket had nothing more.
     * A TLS or HTTP/2 end point returns one record or frame per read, whatever else it holds.
     */
    private final boolean plainSocket;
    private final ApiLimits limits;
    private final FrameParser parser;
    private final FrameWriter writer;
    private final ByteBufferPool buffers;
    private final Executor pool;
    private final Scheduler scheduler;
    private final Consumer<RelayConnection> onOpen;
    private final Runnable demandNow = this::demandNow;
    private final Runnable readTurn = this::readTurn;
    private final Completion frameDone = new FrameDone();
    private final Callback dataWritten = new DataWritten();
    private final Callback pingWritten = new PingWritten();
    private final Callback discarding = Callback.from(Invocable.InvocationType.NON_BLOCKING, this::discard,
            x -> getEndPoint().close(x));

    private volatile PairRelay relay;

    // ---- the reader's own (one reading thread at a time, handed over under the monitor)
    /** Bytes read and not yet parsed, between position and limit; null when there are none. */
    private RetainableByteBuffer in;
    /** The last fill left room in the buffer: the socket had nothing more, so the next read waits for the selector. */
    private boolean drained;

    // ---- shared, guarded by this
    private boolean reading;
    private boolean demanded;
    /** A frame is with the relay; its payload lives in {@link #in} or in the parser's gathered buffer. */
    private boolean outstanding;
    /** The payload bytes of the frame with the relay, for the {@link ReadBudget}. */
    private int outstandingBytes;
    /** Nothing more is read: a close frame arrived, the peer broke a rule or left, or the connection closed. */
    private boolean inputDone;
    private boolean closed;
    private boolean writing;
    private Completion writeDone;
    /** A close frame waiting for the data frame (or the gateway's ping) being written. */
    private ByteBuffer queuedClose;
    private Completion queuedCloseDone;
    /** The gateway's own ping is being written ({@link #writing} too). */
    private boolean pinging;
    /** The gateway's own ping, waiting for the data frame being written. */
    private ByteBuffer queuedPing;
    /** A data frame ({@link FrameWriter#dataFrame}) waiting for the gateway's ping being written; its completion is {@link #writeDone}. */
    private ByteBuffer[] parkedFrame;
    private final CloseHandshake close = new CloseHandshake();
    private boolean idleExpired;
    private SideEnd end;

    /**
     * @param endPoint  the upgraded connection's end point
     * @param peer      which connection of the pair this is
     * @param limits    the API's limits (frame size, idle timeout)
     * @param buffers   where read buffers come from
     * @param pool      where reads go on when a thread has relayed its turn's frames
     * @param scheduler runs the close handshake's deadline
     * @param onOpen    told once the connection is open, before anything is read; may be null
     */
    public RelayConnection(EndPoint endPoint, Peer peer, ApiLimits limits, ByteBufferPool buffers, Executor pool,
                    Scheduler scheduler, Consumer<RelayConnection> onOpen) {
        super(endPoint, pool);
        this.peer = peer;
        this.plainSocket = endPoint instanceof SocketChannelEndPoint;
        // toward a backend the gateway is the client
        Role role = peer == Peer.BACKEND ? Role.CLIENT : Role.SERVER;
        this.limits = limits;
        this.parser = new FrameParser(new FrameParser.Config(role, limits.maxFrameSize()));
        this.writer = new FrameWriter(role);
        this.buffers = buffers;
        this.pool = pool;
        this.scheduler = scheduler;
        this.onOpen = onOpen;
    }

    // ------------------------------------------------------------------ life cycle

    @Override
    public void onUpgradeTo(ByteBuffer buffer) {
        // bytes the peer sent right behind its handshake: frames, read before anything else
        RetainableByteBuffer b = buffers.acquire(Math.max(INPUT_BUFFER_SIZE, buffer.remaining()), true);
        BufferUtil.append(b.getByteBuffer(), buffer);
        in = b;
    }

    @Override
    public void onOpen() {
        super.onOpen();
        getEndPoint().setIdleTimeout(limits.idleTimeout().toMillis());
        if (onOpen != null) {
            onOpen.accept(this);
        }
    }

    /**
     * Adds a connector's connection listeners to this connection, made outside the connector's own factories
     * (called once, on the thread that upgrades the end point, before the connection is opened).
     *
     * @param listeners the connector's event listeners; those that are not connection listeners are ignored
     */
    public void addEventListeners(Iterable<? extends EventListener> listeners) {
        for (EventListener l : listeners) {
            addEventListener(l);
        }
    }

    @Override
    public void start(PairRelay pairRelay) {
        attach(pairRelay);
        demand();
    }

    /**
     * Hands this connection to its pair's relay; an end that happened before is reported now.
     * Frames are read only after {@link #demand()}. Called once, by the flow that made the pair.
     */
    public void attach(PairRelay pairRelay) {
        SideEnd e;
        synchronized (this) {
            relay = pairRelay;
            e = end;
        }
        if (e != null) {
            pairRelay.ended(peer, e);
        }
    }

    @Override
    public boolean onIdleExpired(TimeoutException timeout) {
        PairRelay r = relay;
        if (r != null) {
            if (!r.isClosed()) {
                // nothing crossed the pair for the idle timeout: the gateway closes both sides
                r.close(CloseStatus.GOING_AWAY, "Idle timeout", CloseCause.IDLE);
            }
            // Else the relay is closing both sides (maybe on another thread, for the other side's
            // timeout): this side's close frame is written or about to be, and the close deadline
            // ends the handshake. Closing here would cut that frame off.
            return false;
        }
        synchronized (this) {
            idleExpired = true;
        }
        return true;
    }

    @Override
    public void onFillInterestedFailed(Throwable cause) {
        getEndPoint().close(cause);
    }

    @Override
    public void onClose(Throwable cause) {
        Scheduler.Task deadline;
        Completion queued;
        Completion parked = null;
        SideEnd e;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            inputDone = true;
            deadline = close.disarm();
            queued = queuedCloseDone;
            queuedClose = null;
            queuedCloseDone = null;
            queuedPing = null;
            if (parkedFrame != null) {
                parked = writeDone;
                writeDone = null;
                parkedFrame = null;
            }
            if (!reading && !outstanding) {
                releaseBuffers();
            }
            e = close.end(cause, idleExpired);
        }
        if (deadline != null) {
            deadline.cancel();
        }
        if (queued != null) {
            queued.failed(new IOException("closed before the close frame was written", cause));
        }
        if (parked != null) {
            parked.failed(new IOException("closed before the frame was written", cause));
        }
        super.onClose(cause);
        report(e);
    }

    /** Tells the relay how this side ended, once (or keeps it for {@link #attach}). */
    private void report(SideEnd e) {
        PairRelay r;
        synchronized (this) {
            if (end != null) {
                return;
            }
            end = e;
            r = relay;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: ended {}", this, e);
        }
        if (r != null) {
            r.ended(peer, e);
        }
    }

    /**
     * After failing the peer (§7.1.7), with the close frame written: no more output, and what the
     * peer still sends is read and dropped until it leaves, or the close deadline aborts it. Closing
     * with its bytes unread would send it a TCP reset, which may destroy the close frame before it
     * reads it.
     */
    private void linger() {
        getEndPoint().shutdownOutput();
        discard();
    }

    private void discard() {
        ByteBuffer scratch = ByteBuffer.allocate(4096);
        try {
            while (true) {
                scratch.clear().flip();
                int n = getEndPoint().fill(scratch);
                if (n < 0) {
                    getEndPoint().close();
                    return;
                }
                if (n == 0) {
                    getEndPoint().fillInterested(discarding);
                    return;
                }
            }
        } catch (Throwable x) {
            getEndPoint().close(x);
        }
    }

    private void releaseBuffers() {
        if (in != null) {
            in.release();
            in = null;
        }
        parser.release();
    }

    // ------------------------------------------------------------------ reading

    /** Asks for the next frame (within this thread's {@link ReadBudget} turn); the first is asked for by the flow. */
    public void demand() {
        ReadBudget.demand(demandNow, pool, 0);
    }

    private void demandNow() {
        synchronized (this) {
            if (reading) {
                demanded = true;
                return;
            }
            if (inputDone) {
                return;
            }
            reading = true;
        }
        readLoop();
    }

    @Override
    public void onFillable() {
        ReadBudget.turn(readTurn, pool);
    }

    private void readTurn() {
        synchronized (this) {
            if (reading || inputDone) {
                return;
            }
            reading = true;
        }
        readLoop();
    }

    /** Reads frames while the relay asks for them; this thread holds the reader's role until it returns. */
    private void readLoop() {
        while (true) {
            Read r;
            try {
                r = readFrame();
            } catch (Throwable x) {
                if (LOG.isDebugEnabled()) {
                    LOG.debug("{}: read failed: {}", this, x.toString());
                }
                r = Read.STOP;
                getEndPoint().close(x);
            }
            synchronized (this) {
                if (r == Read.DELIVERED && demanded) {
                    demanded = false;
                    continue;
                }
                reading = false;
                demanded = false;
                if (inputDone && !outstanding) {
                    releaseBuffers();
                }
                if (r != Read.NEED_FILL || inputDone) {
                    return;
                }
            }
            // no frame is with the relay, so no demand can come meanwhile: the selector resumes the reading
            fillInterested();
            return;
        }
    }

    /** Parses the next frame from what was read, reading more as needed. */
    private Read readFrame() throws IOException {
        // the relay is done with the last frame
        parser.recycle();
        while (true) {
            if (inputDone) {
                return Read.STOP;
            }
            RetainableByteBuffer b = in;
            if (b != null && b.hasRemaining()) {
                FrameParser.Result r = parser.parse(b.getByteBuffer());
                if (r == FrameParser.Result.FRAME) {
                    return deliver(parser.frame());
                }
                if (r == FrameParser.Result.ERROR) {
                    return fail(parser.errorCode(), parser.errorReason());
                }
            }
            if (drained) {
                // the last read emptied the socket: wait for the selector rather than read nothing
                drained = false;
                if (b != null && !b.hasRemaining()) {
                    b.release();
                    in = null;
                }
                return Read.NEED_FILL;
            }
            if (b == null) {
                b = buffers.acquire(INPUT_BUFFER_SIZE, true);
                in = b;
            }
            ByteBuffer bb = b.getByteBuffer();
            if (!bb.hasRemaining()) {
                bb.clear().flip();
            } else if (bb.capacity() - bb.limit() < parser.needed() - bb.remaining()) {
                BufferUtil.compact(bb);
            }
            int space = bb.capacity() - bb.limit();
            int n = getEndPoint().fill(bb);
            if (n > 0) {
                drained = plainSocket && n < space;
                continue;
            }
            if (n == 0) {
                if (!bb.hasRemaining()) {
                    b.release();
                    in = null;
                }
                return Read.NEED_FILL;
            }
            // end of stream without a close frame
            synchronized (this) {
                inputDone = true;
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug("{}: end of stream", this);
            }
            getEndPoint().close();
            return Read.STOP;
        }
    }

    /** Hands a complete frame to the relay; it asks for the next when it has written this one. */
    private Read deliver(Frame frame) {
        if (frame.type() == FrameType.CLOSE) {
            synchronized (this) {
                close.received(parser.closeCode(), parser.closeReason());
                inputDone = true;
                outstanding = true;
            }
            // the peer closed first (or answered): the handshake ends within the deadline either way
            startCloseDeadline();
            return forward(frame);
        }
        synchronized (this) {
            outstanding = true;
            outstandingBytes = frame.length();
        }
        return forward(frame);
    }

    private Read forward(Frame frame) {
        PairRelay r = relay;
        if (r == null) {
            // in no pair (the other side's handshake failed): read only to finish this side's close handshake
            frameDone.succeeded();
            return Read.DELIVERED;
        }
        try {
            r.forward(peer.sends(), frame, frameDone);
        } catch (RuntimeException e) {
            // a bug, not the peer's doing; the frame's buffer stays with the relay, never back in the pool
            LOG.warn("{}: the relay failed on a frame", this, e);
            getEndPoint().close(e);
            return Read.STOP;
        }
        return Read.DELIVERED;
    }

    /** The peer broke a rule: fail the connection with this code (§7.1.7). */
    private Read fail(int code, String reason) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: failing with {} {}", this, code, reason);
        }
        boolean lingerNow;
        synchronized (this) {
            inputDone = true;
            // our close frame is out already: nothing more to write
            lingerNow = close.fail(code, reason);
        }
        // the other side need not wait for this one to be gone
        report(new SideEnd(SideEnd.Kind.PROTOCOL_ERROR, code, reason));
        if (lingerNow) {
            linger();
        } else {
            writeClose(FrameWriter.closePayload(code, reason), null);
        }
        return Read.STOP;
    }

    /** The relay has written the frame to the other side (or given up on it): read on, or answer a close. */
    private final class FrameDone implements Completion {
        @Override
        public void succeeded() {
            frameDone();
        }

        @Override
        public void failed(Throwable cause) {
            // the relay has closed both sides already; a close handshake still finishes here
            frameDone();
        }
    }

    private void frameDone() {
        CloseHandshake.AfterRelayed after = null;
        boolean read;
        int relayed;
        synchronized (this) {
            outstanding = false;
            relayed = outstandingBytes;
            if (closed && !reading) {
                releaseBuffers();
            }
            if (close.isReceived() && !closed) {
                after = close.relayed(relay != null);
            }
            read = !inputDone;
        }
        if (after == CloseHandshake.AfterRelayed.ANSWER) {
            // the peer closed first, out of a pair: it gets its answer now (its code, no reason); in a pair the relay answers
            writeClose(close.echo(), null);
        } else if (after == CloseHandshake.AfterRelayed.CLOSE) {
            getEndPoint().close();
        } else if (read) {
            ReadBudget.demand(demandNow, pool, relayed);
        }
    }

    // ------------------------------------------------------------------ writing

    @Override
    public void send(Frame frame, Completion done) {
        FrameType type = frame.type();
        if (type == FrameType.CLOSE) {
            writeClose(FrameWriter.heapCopy(frame.payload()), done);
            return;
        }
        // the relay writes one data frame at a time: the writer's buffers are free
        ByteBuffer[] buffers = writer.dataFrame(frame);
        boolean drop;
        boolean now = false;
        synchronized (this) {
            // frames behind a close are dropped, as a WebSocket endpoint would
            drop = close.isSent() || closed;
            if (!drop) {
                writeDone = done;
                if (writing) {
                    // the gateway's own ping is being written (a close would have been sent): this one goes next
                    parkedFrame = buffers;
                } else {
                    writing = true;
                    now = true;
                }
            }
        }
        if (drop) {
            done.succeeded();
            return;
        }
        if (now) {
            getEndPoint().write(dataWritten, buffers);
        }
    }

    @Override
    public void ping(ByteBuffer payload) {
        ByteBuffer frame = writer.pingFrame(payload);
        boolean now;
        synchronized (this) {
            if (closed || close.isSent() || pinging) {
                return;
            }
            now = !writing;
            if (now) {
                writing = true;
                pinging = true;
            } else {
                queuedPing = frame;
            }
        }
        if (now) {
            getEndPoint().write(pingWritten, frame);
        }
    }

    /** The gateway's ping has been written: a data frame or a close waiting behind it goes. */
    private final class PingWritten implements Callback {
        @Override
        public void succeeded() {
            ByteBuffer[] data = null;
            ByteBuffer closeFrame = null;
            Completion closeDone = null;
            synchronized (RelayConnection.this) {
                pinging = false;
                if (parkedFrame != null) {
                    data = parkedFrame;
                    parkedFrame = null;
                } else if (queuedClose != null) {
                    closeFrame = queuedClose;
                    closeDone = queuedCloseDone;
                    queuedClose = null;
                    queuedCloseDone = null;
                } else {
                    writing = false;
                }
            }
            if (data != null) {
                getEndPoint().write(dataWritten, data);
            } else if (closeFrame != null) {
                getEndPoint().write(new CloseWritten(closeDone), closeFrame);
            }
        }

        @Override
        public void failed(Throwable cause) {
            Completion parked = null;
            synchronized (RelayConnection.this) {
                pinging = false;
                writing = false;
                if (parkedFrame != null) {
                    parked = writeDone;
                    writeDone = null;
                    parkedFrame = null;
                }
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug("{}: ping write failed: {}", RelayConnection.this, cause.toString());
            }
            getEndPoint().close(cause);
            if (parked != null) {
                parked.failed(cause);
            }
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    }

    /** The data frame has been written (or not): the relay hears of it, then a close waiting behind it goes. */
    private final class DataWritten implements Callback {
        @Override
        public void succeeded() {
            dataWriteEnded(null);
        }

        @Override
        public void failed(Throwable cause) {
            dataWriteEnded(cause);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    }

    private void dataWriteEnded(Throwable failure) {
        Completion done;
        ByteBuffer close = null;
        Completion closeDone = null;
        ByteBuffer ping = null;
        synchronized (this) {
            done = writeDone;
            writeDone = null;
            if (failure == null && queuedClose != null) {
                close = queuedClose;
                closeDone = queuedCloseDone;
                queuedClose = null;
                queuedCloseDone = null;
            } else if (failure == null && queuedPing != null) {
                ping = queuedPing;
                pinging = true;
            }
            queuedPing = null;
            writing = close != null || ping != null;
        }
        if (close != null) {
            getEndPoint().write(new CloseWritten(closeDone), close);
        } else if (ping != null) {
            // before the relay hears of this frame: its next one waits behind the ping
            getEndPoint().write(pingWritten, ping);
        }
        if (failure != null) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("{}: write failed: {}", this, failure.toString());
            }
            getEndPoint().close(failure);
            done.failed(failure);
        } else {
            done.succeeded();
        }
    }

    @Override
    public void close(int code, String reason) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: closing with {} {}", this, code, reason);
        }
        writeClose(FrameWriter.closePayload(code, reason), null);
        if (relay == null) {
            // in no pair (the other side's handshake failed): read only for the answer to this close
            demand();
        }
    }

    @Override
    public void abort() {
        getEndPoint().close();
    }

    /**
     * Writes this connection's one close frame (later ones are dropped) and starts the close
     * handshake's deadline.
     *
     * @param payload the close frame's payload: a code and a reason, or nothing
     * @param done    told when it has been written; may be null
     */
    private void writeClose(ByteBuffer payload, Completion done) {
        ByteBuffer frame;
        boolean now;
        synchronized (this) {
            if (closed || !close.claim()) {
                frame = null;
                now = false;
            } else {
                frame = writer.closeFrame(payload);
                now = !writing;
                if (now) {
                    writing = true;
                } else {
                    queuedClose = frame;
                    queuedCloseDone = done;
                }
            }
        }
        if (frame == null) {
            if (done != null) {
                done.succeeded();
            }
            return;
        }
        startCloseDeadline();
        if (now) {
            getEndPoint().write(new CloseWritten(done), frame);
        }
    }

    /** Our close frame has been written: the handshake is over if the peer's close came, else we wait for it. */
    private final class CloseWritten implements Callback {
        private final Completion done;

        CloseWritten(Completion done) {
            this.done = done;
        }

        @Override
        public void succeeded() {
            CloseHandshake.AfterWritten after;
            synchronized (RelayConnection.this) {
                writing = false;
                after = close.written(outstanding);
            }
            if (done != null) {
                done.succeeded();
            }
            if (after == CloseHandshake.AfterWritten.LINGER) {
                // the peer broke a rule and gets no answer (§7.1.7)
                linger();
            } else if (after == CloseHandshake.AfterWritten.CLOSE) {
                getEndPoint().close();
            }
        }

        @Override
        public void failed(Throwable cause) {
            synchronized (RelayConnection.this) {
                writing = false;
            }
            if (done != null) {
                done.failed(cause);
            }
            getEndPoint().close(cause);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    }

    /** Starts the close handshake's deadline, unless one is pending ({@link CloseHandshake#TIMEOUT}). */
    private void startCloseDeadline() {
        Scheduler.Task deadline = scheduler.schedule(CloseHandshake.TIMEOUT, this::closeDeadlinePassed);
        boolean cancel;
        synchronized (this) {
            cancel = closed || !close.arm(deadline);
        }
        if (cancel) {
            deadline.cancel();
        }
    }

    private void closeDeadlinePassed() {
        CloseHandshake.AtDeadline what;
        synchronized (this) {
            if (closed) {
                return;
            }
            what = close.expired();
        }
        if (what == CloseHandshake.AtDeadline.ANSWER) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("{}: no answer to relay within {}; answering the peer's close", this, CloseHandshake.TIMEOUT);
            }
            writeClose(close.echo(), null);
            return;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: close handshake not over within {}; aborting", this, CloseHandshake.TIMEOUT);
        }
        getEndPoint().close();
    }

    @Override
    public String toConnectionString() {
        return "RelayConnection@" + Integer.toHexString(hashCode()) + "[" + peer + "]";
    }
}
