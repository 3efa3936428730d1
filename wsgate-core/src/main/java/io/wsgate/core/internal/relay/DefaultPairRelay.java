package io.wsgate.core.internal.relay;

import io.wsgate.core.PairEnd;
import io.wsgate.api.ApiDefinition;
import io.wsgate.api.CloseCause;
import io.wsgate.api.CloseInitiator;
import io.wsgate.api.CloseStatus;
import io.wsgate.api.Completion;
import io.wsgate.api.Direction;
import io.wsgate.api.Frame;
import io.wsgate.api.FrameType;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.api.MessagePolicy;
import io.wsgate.core.policy.MessageChains;
import io.wsgate.core.transport.PairRelay;
import io.wsgate.core.transport.Peer;
import io.wsgate.core.transport.SideEnd;
import io.wsgate.core.transport.TransportSide;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The relay of one established pair, transport-neutral. It takes no lock: the frame path reads a few
 * volatile fields, and the close path moves each side's state with compare-and-set.
 *
 * <p>Each direction has one reader (the transport delivers a side's frames one at a time and
 * asks for the next only when the previous {@link Completion} has completed), so the per-direction
 * state (message size, UTF-8 state, counters) has a single writer; the state shared by both
 * directions (each side's close state, which side has ended, who closed) is atomic.
 *
 * <ul>
 *   <li>Data, ping and pong frames are written to the other side as they are (the transport
 *       copies only a small payload, behind its header);
 *       the source's completion completes when that write has.</li>
 *   <li>A message larger than the API's {@code maxMessageSize} (counted across fragments) closes its
 *       sender with 1009 and the other side with 1001 (sender was the client) or 1011 (the backend).
 *       Text that is not UTF-8 is never relayed: its sender gets 1007, the other side as above.</li>
 *   <li>A close frame is written to the other side with its code and reason; the other side's answer
 *       is relayed back as the first closer's answer, code and reason. If the other side ends without
 *       answering, the first closer is answered with its own code and no reason (an empty close with an
 *       empty one). Two closes that cross answer each other.</li>
 *   <li>A side that ends without a relayed close frame gets the other side closed: with the same code
 *       and reason after a close handshake, with 1001 when the client went away and 1011 when the
 *       backend did. 1005, 1006 and 1015 never go on the wire.</li>
 *   <li>With message policies ({@link MessageRunner}, one per direction that has some), a data frame that passed
 *       those checks goes through its direction's policies, which forward, replace or drop it, or close the pair.
 *       Without any, the frame path pays one null check of a final field.</li>
 *   <li>With keepalive on ({@link PairKeepAlive}), the pong that answers the gateway's own ping is dropped,
 *       and a leg that answers nothing in time is dropped with the other side closed as for a failure.</li>
 *   <li>When both sides have ended, the {@link PairListener} is told once: who ended the pair, why
 *       ({@link CloseCause}), and the close each side got.</li>
 * </ul>
 *
 * <p>Longer than the house's 400 lines: the frame path, both sides' close states and the
 * {@link io.wsgate.api.ConnectionPair} view (a page of accessors) are one object's, and the close
 * rules read both sides' states at once. What message policies do lives in {@link MessageRunner}; this class
 * keeps only its hooks into the frame and close paths.
 */
public final class DefaultPairRelay implements PairRelay {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultPairRelay.class);

    private static final String CLIENT_WENT_AWAY = "Client went away";
    private static final String BACKEND_FAILED = "Backend failed";
    private static final String INTERNAL_ERROR = "Internal error";
    private static final CloseStatus NONE = new CloseStatus(CloseStatus.ABNORMAL, "");

    /** A side's close state: no close frame either way yet. */
    private static final int OPEN = 0;
    /** The side closed first; the relay owes it an answer (the other side's, or its own code echoed). */
    private static final int AWAITING_ANSWER = 1;
    /** The gateway has sent (or is sending) this side its one close frame. */
    private static final int CLOSE_SENT = 2;

    private final PairInfo info;
    private final PairListener listener;
    private final long maxMessageSize;
    private final Side client;
    private final Side backend;
    private final AtomicReference<Closer> closer = new AtomicReference<>();
    private final AtomicBoolean reported = new AtomicBoolean();
    /** The keepalive of both legs; null when the API has none (the frame path then pays one branch). */
    private final PairKeepAlive keepAlive;

    /**
     * @param info     what the handshake established
     * @param client   the client's connection
     * @param backend  the backend's connection
     * @param listener told once when both connections have ended
     */
    public DefaultPairRelay(PairInfo info, TransportSide client, TransportSide backend, PairListener listener) {
        this(info, client, backend, listener, MessageChains.none());
    }

    /**
     * @param info     what the handshake established
     * @param client   the client's connection
     * @param backend  the backend's connection
     * @param listener told once when both connections have ended
     * @param messages the message policies of the pair's chain; {@link #openMessagePolicies()} opens them
     */
    public DefaultPairRelay(PairInfo info, TransportSide client, TransportSide backend, PairListener listener,
                            MessageChains messages) {
        this.info = Objects.requireNonNull(info, "info");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.maxMessageSize = info.api().limits().maxMessageSize();
        this.client = new Side(Peer.CLIENT, Objects.requireNonNull(client, "client"),
                runner(Direction.CLIENT_TO_BACKEND, messages.policies(Direction.CLIENT_TO_BACKEND)));
        this.backend = new Side(Peer.BACKEND, Objects.requireNonNull(backend, "backend"),
                runner(Direction.BACKEND_TO_CLIENT, messages.policies(Direction.BACKEND_TO_CLIENT)));
        this.client.written = new Written(Peer.CLIENT);
        this.backend.written = new Written(Peer.BACKEND);
        this.keepAlive = info.api().limits().hasKeepAlive() ? new PairKeepAlive(this, client, backend, info.api().limits())
                : null;
    }

    private MessageRunner runner(Direction direction, List<MessagePolicy> policies) {
        return policies.isEmpty() ? null : new MessageRunner(this, direction, policies);
    }

    /**
     * Opens the pair's message policies ({@link MessagePolicy#open}), on the thread that established the pair, before
     * its sides start. When one fails the pair is closed with 1011 at once.
     *
     * @return false when one failed
     */
    public boolean openMessagePolicies() {
        boolean ok = (client.policies == null || client.policies.open()) && (backend.policies == null || backend.policies.open());
        if (!ok) {
            close(CloseStatus.INTERNAL_ERROR, INTERNAL_ERROR, CloseCause.POLICY);
        }
        return ok;
    }

    /** Who ended the pair first, why, and with which close. */
    private record Closer(CloseInitiator who, CloseCause cause, CloseStatus status) {
    }

    /** One connection of the pair and the state of the frames it sends. */
    private static final class Side {
        final Peer peer;
        final TransportSide transport;
        /** The message policies of the frames this side sends; null when there is none (the plain frame path). */
        final MessageRunner policies;
        /** {@link #OPEN}, {@link #AWAITING_ANSWER} or {@link #CLOSE_SENT}; never goes back. */
        final AtomicInteger close = new AtomicInteger(OPEN);
        /** The transport reported this side's end. */
        final AtomicBoolean ended = new AtomicBoolean();
        /** The code of the close frame this side sent first (while it awaits its answer). */
        volatile int closedWith = CloseStatus.NO_STATUS;
        /** The close the gateway sent this side; null while none. */
        volatile CloseStatus got;
        // Single writer: this side's reader. Read by others through the volatile counters only.
        final Utf8Validator utf8 = new Utf8Validator();
        long messageBytes;
        boolean text;
        volatile long messages;
        volatile long bytes;
        /** The completion of this side's data frames written to the other side (one frame at a time). */
        Written written;

        Side(Peer peer, TransportSide transport, MessageRunner policies) {
            this.peer = peer;
            this.transport = transport;
            this.policies = policies;
        }

        boolean closing() {
            return close.get() != OPEN;
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
        return failed == Peer.CLIENT ? CloseStatus.GOING_AWAY : CloseStatus.INTERNAL_ERROR;
    }

    private static String failureReason(Peer failed) {
        return failed == Peer.CLIENT ? CLIENT_WENT_AWAY : BACKEND_FAILED;
    }

    /** The cause of a close the gateway decided because a side broke a rule, by the code that side got. */
    private static CloseCause violationCause(int code) {
        return switch (code) {
            case CloseStatus.MESSAGE_TOO_BIG -> CloseCause.TOO_BIG;
            case CloseStatus.BAD_DATA -> CloseCause.BAD_DATA;
            default -> CloseCause.PROTOCOL_ERROR;
        };
    }

    /** A status for the record, whatever a transport reported (never throws). */
    private static CloseStatus status(int code, String reason) {
        return code >= 1000 && code <= 4999 ? CloseStatus.truncating(code, reason) : NONE;
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
        if (keepAlive != null && keepAlive.arrived(src.peer, frame)) {
            // the answer to the gateway's own ping: it goes no further
            done.succeeded();
            return;
        }
        if (dst.closing() || dst.ended.get() || src.closing()) {
            // The pair is closing: frames that cross the close are dropped, as a WebSocket endpoint would.
            done.succeeded();
            return;
        }
        if (type.isData()) {
            MessageRunner policies = src.policies;
            if (policies != null) {
                throughPolicies(src, dst, policies, frame, done);
                return;
            }
            if (!checked(src, dst, frame)) {
                done.succeeded();
                return;
            }
        }
        send(src, dst, frame, done);
    }

    /** The gateway's own checks of a data frame (message size, UTF-8), then its counters; false when it broke one. */
    private boolean checked(Side src, Side dst, Frame frame) {
        int length = frame.length();
        if (frame.first()) {
            src.messageBytes = 0;
            src.text = frame.type().isText();
            src.utf8.reset();
        }
        src.messageBytes += length;
        if (src.messageBytes > maxMessageSize) {
            violation(src, dst, CloseStatus.MESSAGE_TOO_BIG, "Message too big", CloseCause.TOO_BIG);
            return false;
        }
        if (src.text && !(src.utf8.feed(frame.payload()) && (!frame.last() || src.utf8.complete()))) {
            violation(src, dst, CloseStatus.BAD_DATA, "Invalid UTF-8", CloseCause.BAD_DATA);
            return false;
        }
        src.bytes += length;
        if (frame.last()) {
            src.messages++;
        }
        return true;
    }

    /** A data frame of a direction with message policies: the gateway's checks, then the policies decide. */
    private void throughPolicies(Side src, Side dst, MessageRunner policies, Frame frame, Completion done) {
        int utf8Before = frame.first() ? Utf8Validator.ACCEPT : src.utf8.state();
        long messagesBefore = src.messages;
        if (!checked(src, dst, frame)) {
            done.succeeded();
            return;
        }
        policies.frame(frame, src.text, src.messageBytes, messagesBefore, utf8Before, done);
    }

    /** Relays the frame the policies of a direction let through, unless the pair is closing meanwhile. */
    void relay(Direction direction, Frame frame, Completion done) {
        Side src = from(direction);
        Side dst = side(src.peer.other());
        if (dst.closing() || dst.ended.get() || src.closing()) {
            skip(direction, done);
            return;
        }
        send(src, dst, frame, done);
    }

    /** A frame of that direction is not relayed (a policy dropped it, or the pair is closing): its side is read on. */
    void skip(Direction direction, Completion done) {
        if (keepAlive != null) {
            keepAlive.relayed(from(direction).peer);
        }
        done.succeeded();
    }

    /** A message policy's close verdict on a frame of that direction: its sender gets the code, the other side 1001 or 1011. */
    void policyClose(Direction direction, int code, String reason) {
        Side src = from(direction);
        violation(src, side(src.peer.other()), code, reason, CloseCause.POLICY);
    }

    /** A message policy failed (logged by the caller): both sides get 1011. */
    void policyFailed() {
        close(CloseStatus.INTERNAL_ERROR, INTERNAL_ERROR, CloseCause.POLICY);
    }

    private void send(Side src, Side dst, Frame frame, Completion done) {
        if (LOG.isTraceEnabled()) {
            LOG.trace("{} {} {}", info.id(), src.peer, frame);
        }
        Written written = src.written;
        written.done = done;
        dst.transport.send(frame, written);
    }

    /**
     * The completion of a direction's data frame written to the other side, one object per direction reused for
     * every frame: the direction has one frame with the relay at a time, and the transport reads its next only
     * once this one's completion has completed, so {@link #done} is set again only after it was taken.
     */
    private final class Written implements Completion {
        private final Peer src;
        /** The completion of the frame being written, taken when its write completes. */
        volatile Completion done;

        Written(Peer src) {
            this.src = src;
        }

        @Override
        public void succeeded() {
            Completion d = take();
            if (d != null) {
                if (keepAlive != null) {
                    keepAlive.relayed(src);
                }
                d.succeeded();
            }
        }

        @Override
        public void failed(Throwable cause) {
            Completion d = take();
            if (d != null) {
                writeFailed(side(src), side(src.other()), cause, d);
            }
        }

        private Completion take() {
            Completion d = done;
            done = null;
            return d;
        }
    }

    private void forwardClose(Side src, Side dst, Frame frame, Completion done) {
        int code = frame.closeCode();
        if (code == CloseStatus.ABNORMAL || code == CloseStatus.TLS_HANDSHAKE) {
            // Cannot arrive from a conforming transport; never put it on the wire.
            src.close.compareAndSet(OPEN, CLOSE_SENT);
            closer.compareAndSet(null, new Closer(initiator(src.peer), CloseCause.FAILED, status(code, "")));
            closeSide(dst, failureCode(src.peer), failureReason(src.peer));
            done.succeeded();
            return;
        }
        src.closedWith = code;
        releasePending();
        if (!src.close.compareAndSet(OPEN, AWAITING_ANSWER)) {
            // The answer to a close the gateway sent to this side: the first closer's answer, if one is awaited.
            answer(dst, frame, done);
            return;
        }
        // This side closed first: the relay answers it, with the other side's answer.
        closer.compareAndSet(null, new Closer(initiator(src.peer), CloseCause.NORMAL, status(code, frame.closeReason())));
        if (LOG.isTraceEnabled()) {
            LOG.trace("{} close {} from {}", info.id(), code, src.peer);
        }
        if (dst.ended.get()) {
            echo(src);
            done.succeeded();
            return;
        }
        if (!dst.close.compareAndSet(OPEN, CLOSE_SENT)) {
            // The other side closed too, at the same time: each close answers the other.
            answer(dst, frame, done);
            if (dst.ended.get()) {
                echo(src);
            }
            return;
        }
        dst.got = status(code, frame.closeReason());
        dst.transport.send(frame, new Completion() {
            @Override
            public void succeeded() {
                done.succeeded();
            }

            @Override
            public void failed(Throwable cause) {
                LOG.debug("{}: relaying close to {} failed", info.id(), dst.peer, cause);
                dst.transport.abort();
                echo(src);
                done.succeeded();
            }
        });
    }

    /** Sends this close frame to a side that awaits the answer to its own; else drops it. */
    private void answer(Side to, Frame close, Completion done) {
        if (to.ended.get() || !to.close.compareAndSet(AWAITING_ANSWER, CLOSE_SENT)) {
            done.succeeded();
            return;
        }
        to.got = status(close.closeCode(), close.closeReason());
        if (LOG.isTraceEnabled()) {
            LOG.trace("{} close answer {} to {}", info.id(), to.got.code(), to.peer);
        }
        to.transport.send(close, new Completion() {
            @Override
            public void succeeded() {
                done.succeeded();
            }

            @Override
            public void failed(Throwable cause) {
                to.transport.abort();
                done.succeeded();
            }
        });
    }

    /** Answers a side that awaits the answer to its close, and will get none, with its own code and no reason. */
    private void echo(Side to) {
        if (to.ended.get() || !to.close.compareAndSet(AWAITING_ANSWER, CLOSE_SENT)) {
            return;
        }
        int code = to.closedWith;
        to.got = status(code, "");
        ByteBuffer payload = code == CloseStatus.NO_STATUS ? ByteBuffer.allocate(0)
                : ByteBuffer.allocate(2).putShort(0, (short) code);
        to.transport.send(new Frame(FrameType.CLOSE, payload, true, true), Completion.NOOP);
    }

    private void writeFailed(Side src, Side dst, Throwable cause, Completion done) {
        if (dst.closing() || dst.ended.get()) {
            // Lost a race with the close of the destination: the frame was dropped as it would have been.
            done.succeeded();
            return;
        }
        LOG.debug("{}: write to {} failed", info.id(), dst.peer, cause);
        closer.compareAndSet(null, new Closer(initiator(dst.peer), CloseCause.DISCONNECTED, NONE));
        boolean abortDst = dst.close.compareAndSet(OPEN, CLOSE_SENT);
        closeSide(src, failureCode(dst.peer), failureReason(dst.peer));
        if (abortDst) {
            dst.transport.abort();
        }
        done.failed(cause);
    }

    /** The sender broke a rule: it gets {@code code}, the other side the failure code of the sender. */
    private void violation(Side src, Side dst, int code, String reason, CloseCause cause) {
        closer.compareAndSet(null, new Closer(CloseInitiator.GATEWAY, cause, status(code, reason)));
        // Claim both sides before closing either: a transport may report an end from inside close().
        boolean closeSrc = claim(src, code, reason);
        boolean closeDst = claim(dst, failureCode(src.peer), failureReason(src.peer));
        if (closeSrc) {
            src.transport.close(code, reason);
        }
        if (closeDst) {
            dst.transport.close(failureCode(src.peer), failureReason(src.peer));
        }
    }

    /**
     * A leg answered nothing to the gateway's keepalive ping in time (its {@link PairKeepAlive}): it is dropped,
     * and the other side gets 1001 (a dead client) or 1011 (a dead backend). Nothing when the pair is closing already.
     */
    void keepAliveTimedOut(Peer dead) {
        Side self = side(dead);
        Side other = side(dead.other());
        if (self.ended.get() || !self.close.compareAndSet(OPEN, CLOSE_SENT)) {
            return;
        }
        int code = failureCode(dead);
        String reason = dead == Peer.CLIENT ? "Client keepalive timeout" : "Backend keepalive timeout";
        closer.compareAndSet(null, new Closer(CloseInitiator.GATEWAY, CloseCause.KEEPALIVE, status(code, reason)));
        boolean closeOther = claim(other, code, reason);
        self.transport.abort();
        if (closeOther) {
            other.transport.close(code, reason);
        }
    }

    /** @return the pair's keepalive, or null when its API has none */
    PairKeepAlive keepAlive() {
        return keepAlive;
    }

    /** Claims a side's one close frame for the gateway's own close with this code and reason. */
    private boolean claim(Side side, int code, String reason) {
        if (side.ended.get() || !side.close.compareAndSet(OPEN, CLOSE_SENT)) {
            return false;
        }
        side.got = status(code, reason);
        releasePending();
        return true;
    }

    /** The pair is closing: frames held by pending message policy stages are let go, so that both sides are read on. */
    private void releasePending() {
        if (client.policies != null) {
            client.policies.release();
        }
        if (backend.policies != null) {
            backend.policies.release();
        }
    }

    private void closeSide(Side side, int code, String reason) {
        if (claim(side, code, reason)) {
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
        int code = failureCode(peer);
        String reason = failureReason(peer);
        Closer why;
        switch (end.kind()) {
            case CLOSED -> {
                if (CloseStatus.isWireCode(end.code())) {
                    code = end.code();
                    reason = end.reason();
                } else if (end.code() == CloseStatus.NO_STATUS) {
                    code = CloseStatus.NORMAL;
                    reason = "";
                }
                why = new Closer(initiator(peer), CloseCause.NORMAL, status(end.code(), end.reason()));
            }
            case PROTOCOL_ERROR -> {
                // the transport failed its peer with this code: the gateway's decision
                if (self.got == null) {
                    self.got = status(end.code(), end.reason());
                }
                why = new Closer(CloseInitiator.GATEWAY, violationCause(end.code()), status(end.code(), end.reason()));
            }
            case IDLE_TIMEOUT -> why = new Closer(CloseInitiator.GATEWAY, CloseCause.IDLE, status(code, reason));
            case DISCONNECTED -> why = new Closer(initiator(peer), CloseCause.DISCONNECTED, NONE);
            default -> why = new Closer(initiator(peer), CloseCause.FAILED, NONE);
        }
        closer.compareAndSet(null, why);
        // The other side closed first and awaits this one's answer, which will not come now.
        echo(other);
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
            c = new Closer(CloseInitiator.GATEWAY, CloseCause.FAILED, NONE);
        }
        if (client.policies != null) {
            client.policies.ended();
        }
        if (backend.policies != null) {
            backend.policies.ended();
        }
        long duration = Math.max(0, info.clock().millis() - info.openedAt().toEpochMilli());
        PairEnd end = new PairEnd(c.who(), c.cause(), c.status(), got(client), got(backend), duration);
        try {
            listener.pairEnded(this, end);
        } catch (RuntimeException e) {
            LOG.warn("{}: pair listener failed", info.id(), e);
        }
    }

    /** The close a side got from the gateway; 1006 when it got none (it left first). */
    private static CloseStatus got(Side side) {
        CloseStatus got = side.got;
        return got != null ? got : NONE;
    }

    // ------------------------------------------------------------------ ConnectionPair

    @Override
    public void close(int code, String reason) {
        close(code, reason, CloseCause.APPLICATION);
    }

    @Override
    public void close(int code, String reason, CloseCause cause) {
        if (!CloseStatus.isWireCode(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent on the wire");
        }
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(cause, "cause");
        closer.compareAndSet(null, new Closer(CloseInitiator.GATEWAY, cause, status(code, reason)));
        boolean closeClient = claim(client, code, reason);
        boolean closeBackend = claim(backend, code, reason);
        if (closeClient) {
            client.transport.close(code, reason);
        }
        if (closeBackend) {
            backend.transport.close(code, reason);
        }
    }

    @Override
    public void abort(CloseCause cause) {
        Objects.requireNonNull(cause, "cause");
        closer.compareAndSet(null, new Closer(CloseInitiator.GATEWAY, cause, NONE));
        abort(client);
        abort(backend);
        report();
    }

    /** Ends a side at once: nothing more is read from it or written to it, its transport is dropped. */
    private static void abort(Side side) {
        side.close.set(CLOSE_SENT);
        if (side.ended.compareAndSet(false, true)) {
            side.transport.abort();
        }
    }

    @Override
    public boolean isClosed() {
        return client.closing() || backend.closing() || client.ended.get() || backend.ended.get();
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
