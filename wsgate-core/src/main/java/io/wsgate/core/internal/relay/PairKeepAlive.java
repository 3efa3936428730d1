package io.wsgate.core.internal.relay;

import io.wsgate.api.ApiLimits;
import io.wsgate.api.CloseCause;
import io.wsgate.api.CloseStatus;
import io.wsgate.api.Frame;
import io.wsgate.api.FrameType;
import io.wsgate.core.Scheduler;
import io.wsgate.core.transport.Peer;
import io.wsgate.core.transport.TransportSide;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * The keepalive of one pair ({@link ApiLimits#withKeepAlive}): a checker that wakes on the gateway's
 * scheduler, pings each leg that has sent nothing for the interval, and declares a leg dead when nothing
 * at all arrived from it within the timeout after that ping. Made by its relay, started and cancelled by
 * {@link PairDeadlines} with the pair; one task pending at a time, re-armed by the checker itself.
 *
 * <p>The frame path ({@link #arrived}, {@link #relayed}) writes two flags per leg, opaque, and allocates
 * nothing: a frame from a leg marks it heard, and busy until the other side has it. A busy leg is silent by
 * the gateway's own doing (it reads that leg on only when the other side's write completes), so it is never
 * declared dead meanwhile (it may still be pinged): the other leg's keepalive finds a peer that reads nothing. The gateway's ping carries a payload of its own per leg ({@code wsgate-ka:} and
 * 16 random characters); only a pong with exactly that payload is the gateway's, and it is never relayed.
 *
 * <p>While it runs, the gateway's pings and their pongs keep a transport's idle timer from expiring, so
 * the checker closes a pair that relayed nothing for the API's idle timeout itself (1001, cause
 * {@link CloseCause#IDLE}), as the transport would have.
 */
final class PairKeepAlive implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(PairKeepAlive.class);
    private static final SecureRandom PAYLOADS = new SecureRandom();
    private static final String PREFIX = "wsgate-ka:";

    private static final VarHandle HEARD;
    private static final VarHandle BUSY;
    private static final VarHandle ACTIVE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEARD = lookup.findVarHandle(Leg.class, "heard", boolean.class);
            BUSY = lookup.findVarHandle(Leg.class, "busy", boolean.class);
            ACTIVE = lookup.findVarHandle(PairKeepAlive.class, "active", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One connection of the pair, as the checker sees it. */
    private static final class Leg {
        final Peer peer;
        final TransportSide transport;
        /** The payload of the gateway's pings to this leg, read-only; compared with absolute reads only. */
        final ByteBuffer payload;
        /** A frame arrived since the checker last looked: set by the frame path, taken by the checker. */
        @SuppressWarnings("unused")
        boolean heard;
        /** A frame from this leg is with the other side's write: the leg is not being read. */
        @SuppressWarnings("unused")
        boolean busy;
        // the checker's own (one task at a time)
        boolean awaiting;
        long pingAt;
        long due;

        Leg(Peer peer, TransportSide transport) {
            this.peer = peer;
            this.transport = transport;
            byte[] random = new byte[12];
            PAYLOADS.nextBytes(random);
            String text = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            this.payload = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
        }
    }

    private final DefaultPairRelay relay;
    private final Leg client;
    private final Leg backend;
    private final long interval;
    private final long timeout;
    private final long idle;
    /** A peer's frame was relayed either way since the checker last looked (opaque). */
    @SuppressWarnings("unused")
    private boolean active;
    private volatile boolean cancelled;
    private volatile Scheduler.Task task;
    // set by start, then the checker's own
    private Scheduler scheduler;
    private Clock clock;
    private long lastActive;

    /**
     * @param relay   the pair's relay, which closes the pair when a leg is dead
     * @param client  the client's connection
     * @param backend the backend's connection
     * @param limits  the API's limits, with keepalive on
     */
    PairKeepAlive(DefaultPairRelay relay, TransportSide client, TransportSide backend, ApiLimits limits) {
        this.relay = relay;
        this.client = new Leg(Peer.CLIENT, client);
        this.backend = new Leg(Peer.BACKEND, backend);
        this.interval = limits.keepAliveInterval().toMillis();
        this.timeout = limits.keepAliveTimeout().toMillis();
        this.idle = limits.idleTimeout().toMillis();
    }

    private Leg leg(Peer peer) {
        return peer == Peer.CLIENT ? client : backend;
    }

    // ------------------------------------------------------------------ the frame path

    /**
     * A frame arrived from this leg (the relay's frame path, before relaying it).
     *
     * @return true when it is the pong that answers the gateway's own ping: the relay drops it
     */
    boolean arrived(Peer from, Frame frame) {
        Leg leg = leg(from);
        HEARD.setOpaque(leg, true);
        if (frame.type() == FrameType.PONG && frame.payload().equals(leg.payload)) {
            return true;
        }
        BUSY.setOpaque(leg, true);
        ACTIVE.setOpaque(this, true);
        return false;
    }

    /** The frame from this leg has been written to the other side: the leg is read on. */
    void relayed(Peer from) {
        BUSY.setOpaque(leg(from), false);
    }

    // ------------------------------------------------------------------ the checker

    /** Starts the checker: the first look at both legs is one interval from now. */
    void start(Scheduler scheduler, Clock clock) {
        this.scheduler = scheduler;
        this.clock = clock;
        long now = clock.millis();
        lastActive = now;
        client.due = now + interval;
        backend.due = now + interval;
        arm(now);
    }

    /** Stops the checker for good (the pair ended); idempotent. */
    void cancel() {
        cancelled = true;
        Scheduler.Task t = task;
        if (t != null) {
            t.cancel();
        }
    }

    @Override
    public void run() {
        if (cancelled || relay.isClosed()) {
            // the pair is closing: its close handshake has a deadline of its own
            return;
        }
        long now = clock.millis();
        if (!check(client, now) || !check(backend, now)) {
            return;
        }
        if ((boolean) ACTIVE.getAndSet(this, false)) {
            lastActive = now;
        } else if (now - lastActive >= idle) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("{}: nothing relayed for {} ms; closing with 1001", relay.id(), idle);
            }
            relay.close(CloseStatus.GOING_AWAY, "Idle timeout", CloseCause.IDLE);
            return;
        }
        arm(now);
    }

    /** @return false when the leg is dead (and the pair being closed) */
    private boolean check(Leg leg, long now) {
        if (!leg.awaiting && now < leg.due) {
            return true;
        }
        boolean heard = (boolean) HEARD.getAndSet(leg, false);
        if (leg.awaiting) {
            if (heard || (boolean) BUSY.getOpaque(leg)) {
                leg.awaiting = false;
                leg.due = now + interval;
            } else if (now - leg.pingAt >= timeout) {
                if (LOG.isDebugEnabled()) {
                    LOG.debug("{}: nothing from the {} within {} ms of the gateway's ping; dropping it", relay.id(),
                            leg.peer, timeout);
                }
                relay.keepAliveTimedOut(leg.peer);
                return false;
            }
            return true;
        }
        if (heard) {
            leg.due = now + interval;
        } else {
            leg.awaiting = true;
            leg.pingAt = now;
            leg.transport.ping(leg.payload.duplicate());
        }
        return true;
    }

    /** Schedules the next look: the earliest of each leg's next check or ping timeout, and the idle deadline. */
    private void arm(long now) {
        long next = Math.min(dueOf(client), dueOf(backend));
        next = Math.min(next, lastActive + idle);
        Scheduler.Task t = scheduler.schedule(Duration.ofMillis(Math.max(0, next - now)), this);
        task = t;
        if (cancelled) {
            t.cancel();
        }
    }

    private long dueOf(Leg leg) {
        return leg.awaiting ? leg.pingAt + timeout : leg.due;
    }
}
