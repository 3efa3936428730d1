package io.wsgate.core.internal.relay;

import io.wsgate.core.PairEnd;
import io.wsgate.api.ApiDefinition;
import io.wsgate.api.CloseInitiator;
import io.wsgate.api.Completion;
import io.wsgate.api.Direction;
import io.wsgate.api.Frame;
import io.wsgate.api.FrameType;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.transport.PairRelay;
import io.wsgate.core.transport.Peer;
import io.wsgate.core.transport.SideEnd;
import io.wsgate.core.transport.TransportSide;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The relay of one established pair, transport-neutral and lock-free.
 *
 * <p>Each direction has one reader (the transport delivers a side's frames one at a time and
 * asks for the next only when the previous {@link Completion} has completed), so the per-direction
 * state (message size, UTF-8 state, counters) has a single writer; the state shared by both
 * directions (who closed, which side has been told to close, which side has ended) is atomic.
 *
 * <ul>
 *   <li>Data, ping and pong frames are written to the other side as they are, payload not copied;
 *       the source's completion completes when that write has.</li>
 *   <li>A message larger than the API's {@code maxMessageSize} (counted across fragments) closes its
 *       sender with 1009 and the other side with 1001 (sender was the client) or 1011 (the backend).
 *       Text that is not UTF-8 is never relayed: its sender gets 1007, the other side as above.</li>
 *   <li>A close frame is written to the other side with its code and reason; the other side's answer
 *       is not relayed back (the transport answers the first closer itself).</li>
 *   <li>A side that ends without a relayed close frame gets the other side closed: with the same code
 *       and reason after a close handshake, with 1001 when the client went away and 1011 when the
 *       backend did. 1005, 1006 and 1015 never go on the wire.</li>
 *   <li>When both sides have ended, the {@link PairListener} is told once.</li>
 * </ul>
 */
public final class DefaultPairRelay implements PairRelay {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultPairRelay.class);

    static final int NORMAL = 1000;
    static final int GOING_AWAY = 1001;
    static final int BAD_DATA = 1007;
    static final int MESSAGE_TOO_BIG = 1009;
    static final int SERVER_ERROR = 1011;

    private final PairInfo info;
    private final PairListener listener;
    private final long maxMessageSize;
    private final Side client;
    private final Side backend;
    private final AtomicReference<Closer> closer = new AtomicReference<>();
    private final AtomicBoolean reported = new AtomicBoolean();

    /**
     * @param info     what the handshake established
     * @param client   the client's connection
     * @param backend  the backend's connection
     * @param listener told once when both connections have ended
     */
    public DefaultPairRelay(PairInfo info, TransportSide client, TransportSide backend, PairListener listener) {
        this.info = Objects.requireNonNull(info, "info");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.maxMessageSize = info.api().limits().maxMessageSize();
        this.client = new Side(Peer.CLIENT, Objects.requireNonNull(client, "client"));
        this.backend = new Side(Peer.BACKEND, Objects.requireNonNull(backend, "backend"));
    }

    /** Who ended the pair first, with which code. */
    private record Closer(CloseInitiator who, int code, String reason) {
    }

    /** One connection of the pair and the state of the frames it sends. */
    private static final class Side {
        final Peer peer;
        final TransportSide transport;
        /** The gateway has written or asked for a close frame to this side. */
        final AtomicBoolean closeSent = new AtomicBoolean();
        /** The transport reported this side's end. */
        final AtomicBoolean ended = new AtomicBoolean();
        // Single writer: this side's reader. Read by others through the volatile counters only.
        final Utf8Validator utf8 = new Utf8Validator();
        long messageBytes;
        boolean text;
        volatile long messages;
        volatile long bytes;

        Side(Peer peer, TransportSide transport) {
            this.peer = peer;
            this.transport = transport;
        }
    }

    private Side side(Peer peer) {
        return peer == Peer.CLIENT ? client : backend;
    }

    private Side from(Direction direction) {
        return direction == Direction.CLIENT_TO_BACKEND ? client : backend;
    }

    private static CloseInitiator initiator(Peer peer) {
        return peer == Peer.CLIENT ? CloseInitiator.CLIENT : CloseInitiator.BACKEND;
    }

    /** The code the other side gets when this side failed or broke a rule. */
    private static int failureCode(Peer failed) {
        return failed == Peer.CLIENT ? GOING_AWAY : SERVER_ERROR;
    }

    // ------------------------------------------------------------------ frames

    @Override
    public void forward(Direction direction, Frame frame, Completion done) {
        Side src = from(direction);
        Side dst = side(src.peer.other());
        FrameType type = frame.type();
        if (type == FrameType.CLOSE) {
            forwardClose(src, dst, frame, done);
            return;
        }
        if (dst.closeSent.get() || dst.ended.get() || src.closeSent.get()) {
            // The pair is closing: frames that cross the close are dropped, as a WebSocket endpoint would.
            done.succeeded();
            return;
        }
        int length = frame.length();
        if (type.isData()) {
            if (frame.first()) {
                src.messageBytes = 0;
                src.text = type.isText();
                src.utf8.reset();
            }
            src.messageBytes += length;
            if (src.messageBytes > maxMessageSize) {
                violation(src, dst, MESSAGE_TOO_BIG, "Message too big");
                done.succeeded();
                return;
            }
            if (src.text && !(src.utf8.feed(frame.payload()) && (!frame.last() || src.utf8.complete()))) {
                violation(src, dst, BAD_DATA, "Invalid UTF-8");
                done.succeeded();
                return;
            }
            src.bytes += length;
            if (frame.last()) {
                src.messages++;
            }
        }
        if (LOG.isTraceEnabled()) {
            LOG.trace("{} {} {}", info.id(), direction, frame);
        }
        dst.transport.send(frame, new Completion() {
            @Override
            public void succeeded() {
                done.succeeded();
            }

            @Override
            public void failed(Throwable cause) {
                writeFailed(src, dst, cause, done);
            }
        });
    }

    private void forwardClose(Side src, Side dst, Frame frame, Completion done) {
        if (!src.closeSent.compareAndSet(false, true)) {
            // The answer to a close the gateway sent to this side: the handshake is over on this side.
            done.succeeded();
            return;
        }
        // From here on the sender's own transport answers its close: the gateway sends it none.
        int code = frame.closeCode();
        closer.compareAndSet(null, new Closer(initiator(src.peer), code, frame.closeReason()));
        if (dst.ended.get() || !dst.closeSent.compareAndSet(false, true)) {
            done.succeeded();
            return;
        }
        if (LOG.isTraceEnabled()) {
            LOG.trace("{} close {} from {}", info.id(), code, src.peer);
        }
        if (code == 1006 || code == 1015) {
            // Cannot arrive from a conforming transport; never put it on the wire.
            dst.transport.close(failureCode(src.peer), "");
            done.succeeded();
            return;
        }
        dst.transport.send(frame, new Completion() {
            @Override
            public void succeeded() {
                done.succeeded();
            }

            @Override
            public void failed(Throwable cause) {
                LOG.debug("{}: relaying close to {} failed", info.id(), dst.peer, cause);
                dst.transport.abort();
                // The sender still gets its close answered by its transport.
                done.succeeded();
            }
        });
    }

    private void writeFailed(Side src, Side dst, Throwable cause, Completion done) {
        if (dst.closeSent.get() || dst.ended.get()) {
            // Lost a race with the close of the destination: the frame was dropped as it would have been.
            done.succeeded();
            return;
        }
        LOG.debug("{}: write to {} failed", info.id(), dst.peer, cause);
        closer.compareAndSet(null, new Closer(initiator(dst.peer), 1006, ""));
        boolean abortDst = dst.closeSent.compareAndSet(false, true);
        closeSide(src, failureCode(dst.peer), dst.peer == Peer.BACKEND ? "Backend failed" : "Client went away");
        if (abortDst) {
            dst.transport.abort();
        }
        done.failed(cause);
    }

    /** The sender broke a rule: it gets {@code code}, the other side the failure code of the sender. */
    private void violation(Side src, Side dst, int code, String reason) {
        closer.compareAndSet(null, new Closer(CloseInitiator.GATEWAY, code, reason));
        // Claim both sides before closing either: a transport may report an end from inside close().
        boolean closeSrc = claim(src);
        boolean closeDst = claim(dst);
        if (closeSrc) {
            src.transport.close(code, reason);
        }
        if (closeDst) {
            dst.transport.close(failureCode(src.peer), src.peer == Peer.CLIENT ? "Client went away" : "Backend failed");
        }
    }

    private static boolean claim(Side side) {
        return !side.ended.get() && side.closeSent.compareAndSet(false, true);
    }

    private void closeSide(Side side, int code, String reason) {
        if (claim(side)) {
            side.transport.close(code, reason);
        }
    }

    // ------------------------------------------------------------------ ends

    @Override
    public void ended(Peer peer, SideEnd end) {
        Side self = side(peer);
        Side other = side(peer.other());
        if (!self.ended.compareAndSet(false, true)) {
            return;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: {} ended {} {}", info.id(), peer, end.kind(), end.code());
        }
        int code;
        String reason;
        if (end.kind() == SideEnd.Kind.CLOSED && TransportSide.isWireCloseCode(end.code())) {
            code = end.code();
            reason = end.reason();
        } else if (end.kind() == SideEnd.Kind.CLOSED && end.code() == 1005) {
            code = NORMAL;
            reason = "";
        } else {
            code = failureCode(peer);
            reason = peer == Peer.CLIENT ? "Client went away" : "Backend failed";
        }
        CloseInitiator who = end.kind() == SideEnd.Kind.IDLE_TIMEOUT ? CloseInitiator.GATEWAY : initiator(peer);
        closer.compareAndSet(null, new Closer(who, end.kind() == SideEnd.Kind.CLOSED ? end.code() : code,
                end.kind() == SideEnd.Kind.CLOSED ? end.reason() : reason));
        closeSide(other, code, reason);
        if (other.ended.get()) {
            report();
        }
    }

    private void report() {
        if (!reported.compareAndSet(false, true)) {
            return;
        }
        Closer c = closer.get();
        if (c == null) {
            c = new Closer(CloseInitiator.GATEWAY, GOING_AWAY, "");
        }
        long duration = Math.max(0, info.clock().millis() - info.openedAt().toEpochMilli());
        PairEnd end = new PairEnd(c.who(), c.code(), c.reason(), duration);
        try {
            listener.pairEnded(this, end);
        } catch (RuntimeException e) {
            LOG.warn("{}: pair listener failed", info.id(), e);
        }
    }

    // ------------------------------------------------------------------ ConnectionPair

    @Override
    public void close(int code, String reason) {
        if (!TransportSide.isWireCloseCode(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent on the wire");
        }
        Objects.requireNonNull(reason, "reason");
        closer.compareAndSet(null, new Closer(CloseInitiator.GATEWAY, code, reason));
        boolean closeClient = claim(client);
        boolean closeBackend = claim(backend);
        if (closeClient) {
            client.transport.close(code, reason);
        }
        if (closeBackend) {
            backend.transport.close(code, reason);
        }
    }

    @Override
    public boolean isClosed() {
        return client.closeSent.get() || backend.closeSent.get() || client.ended.get() || backend.ended.get();
    }

    @Override
    public long messages(Direction direction) {
        return from(direction).messages;
    }

    @Override
    public long bytes(Direction direction) {
        return from(direction).bytes;
    }

    @Override
    public String id() {
        return info.id();
    }

    @Override
    public String requestId() {
        return info.requestId();
    }

    @Override
    public ApiDefinition api() {
        return info.api();
    }

    @Override
    public HandshakeRequest request() {
        return info.request();
    }

    @Override
    public URI backendUri() {
        return info.backendUri();
    }

    @Override
    public String subprotocol() {
        return info.subprotocol();
    }

    @Override
    public Map<String, Object> attributes() {
        return info.attributes();
    }

    @Override
    public Instant openedAt() {
        return info.openedAt();
    }

    /** @return what the handshake established */
    public PairInfo info() {
        return info;
    }

    @Override
    public String toString() {
        return "DefaultPairRelay[" + info.id() + ", api=" + info.api().name() + "]";
    }
}
