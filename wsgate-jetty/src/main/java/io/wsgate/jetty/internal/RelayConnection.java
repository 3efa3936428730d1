package io.wsgate.jetty.internal;

import io.wsgate.api.ApiLimits;
import io.wsgate.api.Completion;
import io.wsgate.api.Frame;
import io.wsgate.api.FrameType;
import io.wsgate.core.transport.PairRelay;
import io.wsgate.core.transport.Peer;
import io.wsgate.core.Scheduler;
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
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One connection of a pair, after its upgrade: the gateway's own RFC 6455 frame codec on a Jetty
 * {@link EndPoint}, in place of websocket-core's connection and session. It reads one frame at a
 * time, hands it to the pair's relay as a slice of the buffer it was read into, and reads the next
 * only when the relay has written that one to the other side; it writes the frames the relay sends
 * it as a header and the payload in one gathering write.
 *
 * <p><b>Why not websocket-core.</b> websocket-core unmasks a client's frame four bytes at a time in
 * big-endian order, then copies the payload into a new buffer while masking it for the backend; it
 * runs each frame through a flusher and iterating callbacks under locks the two sides contend for.
 * On wsgate-bench that was a third of the gateway's CPU on 16 KiB messages and most of its CPU
 * above the socket calls on 64-byte ones. Here both masks are one pass each, in place, eight bytes
 * at a time; the read and the write of a frame take no lock anyone else is waiting for.
 *
 * <p><b>What it checks</b> (RFC 6455 §5, no extension is ever negotiated): reserved bits and opcodes
 * (1002), masking (a client's frames must be masked, a backend's must not: 1002), control frames
 * (final, at most 125 bytes: 1002), the order of fragments (1002), the frame size limit (1009),
 * close frames (a one-byte payload or a code that may not be sent: 1002; a reason that is not
 * UTF-8: 1007). A broken rule fails the connection (§7.1.7): its close frame is written, then the
 * connection is closed without waiting for an answer. Text and message size are the relay's checks.
 *
 * <p><b>Closing.</b> Every close frame the gateway writes, its own or relayed, starts a close
 * handshake: the connection stays open and is read (the relay drops what it reads) until the peer
 * answers with its close frame or leaves, and for {@link #CLOSE_HANDSHAKE_TIMEOUT} at most: then it is
 * aborted. A close frame the peer sends first is relayed to the other side and then answered with the
 * same code. Either way, once both close frames have crossed, the connection is closed.
 *
 * <p><b>Threads.</b> Reads are declared non-blocking, so a selector runs them itself, in turns of at
 * most {@link ReadBudget#FRAMES_PER_TURN} frames. One thread reads at a time; the state the reader,
 * the writer and the end share is guarded by this object's monitor, held only for a few assignments.
 */
public final class RelayConnection extends AbstractConnection.NonBlocking implements Connection.UpgradeTo, TransportSide {

    /** The longest a peer may take to answer the gateway's close frame before its connection is aborted. */
    static final Duration CLOSE_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(RelayConnection.class);

    private static final byte CONTINUATION = 0x0;
    private static final byte TEXT = 0x1;
    private static final byte BINARY = 0x2;
    private static final byte CLOSE = 0x8;
    private static final byte PING = 0x9;
    private static final byte PONG = 0xA;
    private static final byte NO_MESSAGE = -1;

    private static final int MAX_HEADER = 14;
    /** The first size of the buffer a frame larger than the read buffer is gathered into; it doubles as bytes arrive. */
    private static final int GATHER_FIRST = 64 * 1024;
    private static final int MAX_CONTROL_PAYLOAD = 125;
    private static final int PROTOCOL_ERROR = 1002;
    private static final int BAD_DATA = 1007;
    private static final int TOO_BIG = 1009;
    private static final int NO_CODE = 1005;
    private static final int ABNORMAL = 1006;

    /** What one attempt to read a frame ended with. */
    private enum Read { DELIVERED, NEED_FILL, STOP }

    private final Peer peer;
    /**
     * A TCP end point, where a read that leaves room in the buffer means the socket had nothing more.
     * A TLS or HTTP/2 end point returns one record or frame per read, whatever else it holds.
     */
    private final boolean plainSocket;
    /** True on a backend's connection: the gateway is the client there, so it masks what it writes. */
    private final boolean client;
    private final ApiLimits limits;
    private final long maxFrameSize;
    private final ByteBufferPool buffers;
    private final Executor pool;
    private final Scheduler scheduler;
    private final Consumer<RelayConnection> onOpen;
    private final Runnable demandNow = this::demandNow;
    private final Runnable readTurn = this::readTurn;
    private final Completion frameDone = new FrameDone();
    private final Callback dataWritten = new DataWritten();
    private final Callback discarding = Callback.from(Invocable.InvocationType.NON_BLOCKING, this::discard,
            x -> getEndPoint().close(x));
    /** The header of the data frame being written (one at a time). */
    private final ByteBuffer header = ByteBuffer.allocateDirect(MAX_HEADER);

    private volatile PairRelay relay;

    // ---- the reader's own (one reading thread at a time, handed over under the monitor)
    /** Bytes read and not yet parsed, between position and limit; null when there are none. */
    private RetainableByteBuffer in;
    /**
     * The payload of a frame too large for {@link #in}, gathered as it arrives (a heap buffer that
     * grows with what has arrived, so a header announcing a large frame reserves nothing); null when
     * there is none.
     */
    private ByteBuffer gathered;
    /** The gathered frame's payload length. */
    private int gatheredSize;
    private byte gatheredOpCode;
    private boolean gatheredFin;
    private int gatheredKey;
    /** The gathered frame is with the relay (or done): released before the next frame is read. */
    private boolean gatheredDelivered;
    /** Bytes the frame being parsed needs in {@link #in}, header included. */
    private int needed;
    /** TEXT or BINARY while a fragmented message is in progress, else {@link #NO_MESSAGE}. */
    private byte messageOpCode = NO_MESSAGE;
    /** The last fill left room in the buffer: the socket had nothing more, so the next read waits for the selector. */
    private boolean drained;

    // ---- shared, guarded by this
    private boolean reading;
    private boolean demanded;
    /** A frame is with the relay; its payload lives in {@link #in} or {@link #gathered}. */
    private boolean outstanding;
    /** The payload bytes of the frame with the relay, for the {@link ReadBudget}. */
    private int outstandingBytes;
    /** Nothing more is read: a close frame arrived, the peer broke a rule or left, or the connection closed. */
    private boolean inputDone;
    private boolean closed;
    private boolean writing;
    private Completion writeDone;
    /** A close frame waiting for the data frame being written. */
    private ByteBuffer queuedClose;
    private Completion queuedCloseDone;
    private boolean closeSent;
    private boolean closeWritten;
    private boolean closeReceived;
    private int receivedCode = NO_CODE;
    private String receivedReason = "";
    /** The code this side's peer was failed with (it broke a rule), or 0. */
    private int failedWith;
    private String failedReason = "";
    private boolean idleExpired;
    private Scheduler.Task closeDeadline;
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
        this.client = peer == Peer.BACKEND;
        this.limits = limits;
        this.maxFrameSize = Math.min(limits.maxFrameSize(), Integer.MAX_VALUE - 8);
        this.buffers = buffers;
        this.pool = pool;
        this.scheduler = scheduler;
        this.onOpen = onOpen;
    }

    // ------------------------------------------------------------------ life cycle

    @Override
    public void onUpgradeTo(ByteBuffer buffer) {
        // bytes the peer sent right behind its handshake: frames, read before anything else
        RetainableByteBuffer b = buffers.acquire(Math.max(JettyTuning.INPUT_BUFFER_SIZE, buffer.remaining()), true);
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

    @Override
    public void start(PairRelay pairRelay) {
        attach(pairRelay);
        demand();
    }

    /**
     * Hands this connection to its pair's relay; an end that happened before is reported now.
     * Frames are read only after {@link #demand()}.
     */
    void attach(PairRelay pairRelay) {
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
                r.close(1001, "Idle timeout");
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
        SideEnd e;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            inputDone = true;
            deadline = closeDeadline;
            queued = queuedCloseDone;
            queuedClose = null;
            queuedCloseDone = null;
            if (!reading && !outstanding) {
                releaseBuffers();
            }
            e = endFor(cause);
        }
        if (deadline != null) {
            deadline.cancel();
        }
        if (queued != null) {
            queued.failed(new IOException("closed before the close frame was written", cause));
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

    /** How the connection ended, from what was seen on it (under the monitor). */
    private SideEnd endFor(Throwable cause) {
        if (closeReceived) {
            return new SideEnd(SideEnd.Kind.CLOSED, receivedCode, receivedReason);
        }
        if (failedWith != 0) {
            return new SideEnd(SideEnd.Kind.PROTOCOL_ERROR, failedWith, failedReason);
        }
        if (idleExpired || cause instanceof TimeoutException) {
            return new SideEnd(SideEnd.Kind.IDLE_TIMEOUT, ABNORMAL, "");
        }
        if (cause == null || cause instanceof IOException) {
            return new SideEnd(SideEnd.Kind.DISCONNECTED, ABNORMAL, "");
        }
        return new SideEnd(SideEnd.Kind.FAILED, ABNORMAL, String.valueOf(cause.getMessage()));
    }

    private void releaseBuffers() {
        if (in != null) {
            in.release();
            in = null;
        }
        gathered = null;
        gatheredDelivered = false;
    }

    // ------------------------------------------------------------------ reading

    /** Asks for the next frame (within this thread's {@link ReadBudget} turn). */
    void demand() {
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
        if (gatheredDelivered) {
            // the relay is done with the gathered frame
            gatheredDelivered = false;
            gathered = null;
        }
        while (true) {
            if (inputDone) {
                return Read.STOP;
            }
            RetainableByteBuffer b = in;
            if (b != null && b.hasRemaining()) {
                Read r = gathered == null ? parse(b.getByteBuffer()) : gather(b.getByteBuffer());
                if (r != null) {
                    return r;
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
                b = buffers.acquire(JettyTuning.INPUT_BUFFER_SIZE, true);
                in = b;
            }
            ByteBuffer bb = b.getByteBuffer();
            if (!bb.hasRemaining()) {
                bb.clear().flip();
            } else if (bb.capacity() - bb.limit() < needed - bb.remaining()) {
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

    /**
     * Parses one frame at the buffer's position: delivers it when all of it is there.
     *
     * @return what happened, or null when more bytes are needed
     */
    private Read parse(ByteBuffer bb) {
        int pos = bb.position();
        int available = bb.remaining();
        if (available < 2) {
            needed = 2;
            return null;
        }
        int b0 = bb.get(pos) & 0xFF;
        int b1 = bb.get(pos + 1) & 0xFF;
        boolean fin = (b0 & 0x80) != 0;
        byte opCode = (byte) (b0 & 0x0F);
        if ((b0 & 0x70) != 0) {
            return fail(PROTOCOL_ERROR, "Reserved bits set");
        }
        boolean control = (opCode & 0x08) != 0;
        if (control ? opCode > PONG : opCode > BINARY) {
            return fail(PROTOCOL_ERROR, "Unknown opcode " + opCode);
        }
        if (control && !fin) {
            return fail(PROTOCOL_ERROR, "Fragmented control frame");
        }
        boolean masked = (b1 & 0x80) != 0;
        if (masked == client) {
            return fail(PROTOCOL_ERROR, client ? "Masked frame from the server" : "Unmasked frame from the client");
        }
        int length7 = b1 & 0x7F;
        int headerLength = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + (masked ? 4 : 0);
        if (available < headerLength) {
            needed = headerLength;
            return null;
        }
        long length = length7 < 126 ? length7 : bigEndian(bb, pos + 2, length7 == 126 ? 2 : 8);
        if (length < 0) {
            return fail(PROTOCOL_ERROR, "Invalid payload length");
        }
        if (control && length > MAX_CONTROL_PAYLOAD) {
            return fail(PROTOCOL_ERROR, "Control frame payload over 125 bytes");
        }
        if (length > maxFrameSize) {
            return fail(TOO_BIG, "Frame too big");
        }
        if (!control) {
            if (opCode == CONTINUATION ? messageOpCode == NO_MESSAGE : messageOpCode != NO_MESSAGE) {
                return fail(PROTOCOL_ERROR, opCode == CONTINUATION ? "Continuation without a message" : "Message in a message");
            }
        }
        int key = masked ? (int) bigEndian(bb, pos + headerLength - 4, 4) : 0;
        int size = (int) length;
        if (headerLength + length <= available) {
            int from = pos + headerLength;
            bb.position(from + size);
            if (masked && size > 0) {
                Masks.apply(bb, from, size, key);
            }
            return deliver(opCode, fin, bb.slice(from, size));
        }
        if (headerLength + length <= bb.capacity()) {
            needed = headerLength + size;
            return null;
        }
        // larger than the read buffer: gathered into a buffer of its own
        bb.position(pos + headerLength);
        gathered = ByteBuffer.allocate(Math.min(size, GATHER_FIRST));
        gatheredSize = size;
        gatheredOpCode = opCode;
        gatheredFin = fin;
        gatheredKey = key;
        needed = 1;
        return gather(bb);
    }

    /** @return the unsigned big-endian number in {@code n} bytes at absolute index {@code at} */
    private static long bigEndian(ByteBuffer bb, int at, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (bb.get(at + i) & 0xFF);
        }
        return v;
    }

    /** Moves what has been read into the gathered payload; delivers it when complete. */
    private Read gather(ByteBuffer bb) {
        ByteBuffer g = gathered;
        int n = Math.min(bb.remaining(), gatheredSize - g.position());
        if (g.remaining() < n) {
            g = ByteBuffer.allocate(Math.min(gatheredSize, Math.max(2 * g.capacity(), g.position() + n))).put(g.flip());
            gathered = g;
        }
        g.put(bb.slice(bb.position(), n));
        bb.position(bb.position() + n);
        if (g.position() < gatheredSize) {
            return null;
        }
        g.flip();
        if (!client) {
            Masks.apply(g, 0, gatheredSize, gatheredKey);
        }
        needed = 0;
        gatheredDelivered = true;
        return deliver(gatheredOpCode, gatheredFin, g);
    }

    /** Hands a complete frame to the relay; it asks for the next when it has written this one. */
    private Read deliver(byte opCode, boolean fin, ByteBuffer payload) {
        Frame frame;
        switch (opCode) {
            case TEXT, BINARY -> {
                boolean text = opCode == TEXT;
                if (fin) {
                    frame = new Frame(text ? FrameType.UTF8_MESSAGE : FrameType.BINARY_MESSAGE, payload, true, true);
                } else {
                    messageOpCode = opCode;
                    frame = new Frame(text ? FrameType.UTF8_FRAGMENT : FrameType.BINARY_FRAGMENT, payload, true, false);
                }
            }
            case CONTINUATION -> {
                frame = new Frame(messageOpCode == TEXT ? FrameType.UTF8_FRAGMENT : FrameType.BINARY_FRAGMENT,
                        payload, false, fin);
                if (fin) {
                    messageOpCode = NO_MESSAGE;
                }
            }
            case PING -> frame = new Frame(FrameType.PING, payload, true, true);
            case PONG -> frame = new Frame(FrameType.PONG, payload, true, true);
            default -> {
                return deliverClose(payload);
            }
        }
        synchronized (this) {
            outstanding = true;
            outstandingBytes = payload.remaining();
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

    private Read deliverClose(ByteBuffer payload) {
        int length = payload.remaining();
        int code = NO_CODE;
        String reason = "";
        if (length == 1) {
            return fail(PROTOCOL_ERROR, "Close frame of one byte");
        }
        if (length >= 2) {
            code = payload.getShort(payload.position()) & 0xFFFF;
            if (!TransportSide.isWireCloseCode(code)) {
                return fail(PROTOCOL_ERROR, "Invalid close code " + code);
            }
            try {
                reason = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(payload.slice(payload.position() + 2, length - 2)).toString();
            } catch (CharacterCodingException e) {
                return fail(BAD_DATA, "Invalid UTF-8 in the close reason");
            }
        }
        synchronized (this) {
            closeReceived = true;
            receivedCode = code;
            receivedReason = reason;
            inputDone = true;
            outstanding = true;
        }
        return forward(new Frame(FrameType.CLOSE, payload, true, true));
    }

    /** The peer broke a rule: fail the connection with this code (§7.1.7). */
    private Read fail(int code, String reason) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: failing with {} {}", this, code, reason);
        }
        boolean lingerNow;
        synchronized (this) {
            inputDone = true;
            if (failedWith == 0 && !closeReceived) {
                failedWith = code;
                failedReason = reason;
            }
            // our close frame is out already: nothing more to write
            lingerNow = closeWritten;
        }
        // the other side need not wait for this one to be gone
        report(new SideEnd(SideEnd.Kind.PROTOCOL_ERROR, code, reason));
        if (lingerNow) {
            linger();
        } else {
            writeClose(closePayload(code, reason), null);
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
        boolean answer;
        boolean closeNow;
        boolean read;
        int relayed;
        synchronized (this) {
            outstanding = false;
            relayed = outstandingBytes;
            if (closed && !reading) {
                releaseBuffers();
            }
            answer = closeReceived && !closeSent && !closed;
            closeNow = closeReceived && closeWritten && !closed;
            read = !inputDone;
        }
        if (answer) {
            // the peer closed first: its close is relayed, now it gets its answer (same code)
            writeClose(receivedCode == NO_CODE ? ByteBuffer.allocate(0) : closePayload(receivedCode, ""), null);
        } else if (closeNow) {
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
            writeClose(heapCopy(frame.payload()), done);
            return;
        }
        boolean drop;
        synchronized (this) {
            // frames behind a close are dropped, as a WebSocket endpoint would
            drop = closeSent || closed;
            if (!drop) {
                writing = true;
                writeDone = done;
            }
        }
        if (drop) {
            done.succeeded();
            return;
        }
        ByteBuffer payload = frame.payload();
        if (client && payload.isReadOnly()) {
            payload = heapCopy(payload);
        }
        int length = payload.remaining();
        ByteBuffer h = header;
        h.clear();
        h.put((byte) ((frame.last() ? 0x80 : 0) | opCode(frame)));
        putLength(h, length);
        if (client) {
            int key = Masks.newKey();
            h.putInt(key);
            if (length > 0) {
                Masks.apply(payload, payload.position(), length, key);
            }
        }
        h.flip();
        getEndPoint().write(dataWritten, h, payload);
    }

    private static ByteBuffer heapCopy(ByteBuffer b) {
        return ByteBuffer.allocate(b.remaining()).put(b.duplicate()).flip();
    }

    private void putLength(ByteBuffer h, int length) {
        int maskBit = client ? 0x80 : 0;
        if (length < 126) {
            h.put((byte) (maskBit | length));
        } else if (length <= 0xFFFF) {
            h.put((byte) (maskBit | 126));
            h.putShort((short) length);
        } else {
            h.put((byte) (maskBit | 127));
            h.putLong(length);
        }
    }

    static byte opCode(Frame frame) {
        return switch (frame.type()) {
            case UTF8_MESSAGE -> TEXT;
            case BINARY_MESSAGE -> BINARY;
            case UTF8_FRAGMENT -> frame.first() ? TEXT : CONTINUATION;
            case BINARY_FRAGMENT -> frame.first() ? BINARY : CONTINUATION;
            case CLOSE -> CLOSE;
            case PING -> PING;
            case PONG -> PONG;
        };
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
        synchronized (this) {
            done = writeDone;
            writeDone = null;
            if (failure == null && queuedClose != null) {
                close = queuedClose;
                closeDone = queuedCloseDone;
                queuedClose = null;
                queuedCloseDone = null;
            }
            writing = close != null;
        }
        if (close != null) {
            getEndPoint().write(new CloseWritten(closeDone), close);
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
        writeClose(closePayload(code, reason), null);
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
            if (closeSent || closed) {
                frame = null;
                now = false;
            } else {
                closeSent = true;
                frame = closeFrame(payload);
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

    private ByteBuffer closeFrame(ByteBuffer payload) {
        int length = payload.remaining();
        ByteBuffer f = ByteBuffer.allocate(2 + (client ? 4 : 0) + length);
        f.put((byte) (0x80 | CLOSE));
        f.put((byte) ((client ? 0x80 : 0) | length));
        int at = f.position() + (client ? 4 : 0);
        if (client) {
            f.putInt(Masks.newKey());
        }
        f.put(payload.duplicate());
        if (client && length > 0) {
            Masks.apply(f, at, length, f.getInt(at - 4));
        }
        return f.flip();
    }

    /** A close frame's payload: the code, and as much of the reason as fits in a control frame. */
    static ByteBuffer closePayload(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(r.length, MAX_CONTROL_PAYLOAD - 2);
        // never cut a character in two
        while (n > 0 && n < r.length && (r[n] & 0xC0) == 0x80) {
            n--;
        }
        ByteBuffer p = ByteBuffer.allocate(2 + n);
        p.putShort((short) code);
        p.put(r, 0, n);
        return p.flip();
    }

    /** Our close frame has been written: the handshake is over if the peer's close came, else we wait for it. */
    private final class CloseWritten implements Callback {
        private final Completion done;

        CloseWritten(Completion done) {
            this.done = done;
        }

        @Override
        public void succeeded() {
            boolean closeNow;
            boolean lingerNow;
            synchronized (RelayConnection.this) {
                writing = false;
                closeWritten = true;
                // the handshake is over, or the peer broke a rule and gets no answer (§7.1.7)
                closeNow = closeReceived && !outstanding;
                lingerNow = failedWith != 0;
            }
            if (done != null) {
                done.succeeded();
            }
            if (lingerNow) {
                linger();
            } else if (closeNow) {
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

    /** Aborts the connection if its close handshake has not ended within {@link #CLOSE_HANDSHAKE_TIMEOUT}. */
    private void startCloseDeadline() {
        Scheduler.Task deadline = scheduler.schedule(CLOSE_HANDSHAKE_TIMEOUT, () -> {
            if (LOG.isDebugEnabled()) {
                LOG.debug("{}: no answer to the close frame within {}; aborting", this, CLOSE_HANDSHAKE_TIMEOUT);
            }
            getEndPoint().close();
        });
        boolean cancel;
        synchronized (this) {
            cancel = closed || closeDeadline != null;
            if (!cancel) {
                closeDeadline = deadline;
            }
        }
        if (cancel) {
            deadline.cancel();
        }
    }

    @Override
    public String toConnectionString() {
        return "RelayConnection@" + Integer.toHexString(hashCode()) + "[" + peer + "]";
    }
}
