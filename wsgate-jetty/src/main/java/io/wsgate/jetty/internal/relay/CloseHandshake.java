package io.wsgate.jetty.internal.relay;

import io.wsgate.api.CloseStatus;
import io.wsgate.core.Scheduler;
import io.wsgate.core.transport.SideEnd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * The close handshake of one connection (RFC 6455 §5.5.1, §7): who closed first, what to answer
 * and when, when the connection may be closed, and its deadline.
 *
 * <ul>
 *   <li>This connection sends one close frame, ever: its own (a relayed close, the gateway's decision),
 *       or its answer to the peer's. Later ones are dropped, and so are data frames behind it.</li>
 *   <li>The peer closed first: in a pair, the relay answers it with the other side's answer (its code
 *       and reason) or, when the other side ends without one, with the peer's code and no reason; out
 *       of a pair it is answered at once, the same way. Once the answer is written the connection is
 *       closed.</li>
 *   <li>The gateway closed first: the connection is read (and what arrives dropped) until the peer's
 *       close comes, then closed.</li>
 *   <li>The peer broke a rule (§7.1.7): it gets its close frame, no answer is awaited, and what it
 *       still sends is read and dropped until it leaves.</li>
 *   <li>The deadline, {@link #TIMEOUT} from the first close frame either way: an answer still awaited
 *       is written then (the peer's code, no reason) with one more {@link #TIMEOUT} for it; otherwise
 *       the connection is aborted.</li>
 * </ul>
 *
 * <p>Not thread-safe: its connection calls it under its own monitor (no lock of its own, so the
 * frame path takes one monitor, not two). The connection schedules the deadline outside that
 * monitor and {@link #arm arms} it here.
 */
final class CloseHandshake {

    /** The longest a peer may take to answer a close frame (or to read the answer to its own) before it is aborted. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** What to do once the relay is done with the peer's close frame. */
    enum AfterRelayed {
        /** Write the answer now ({@link #echo()}): no relay will. */
        ANSWER,
        /** Wait: the relay sends the answer (or the deadline does). */
        WAIT,
        /** Both close frames have crossed: close the connection. */
        CLOSE,
        /** Nothing: the connection's own close frame is still being written. */
        NOTHING
    }

    /** What to do once this connection's close frame is written. */
    enum AfterWritten {
        /** Both close frames have crossed: close the connection. */
        CLOSE,
        /** The peer was failed: shut the output, drop what it sends until it leaves. */
        LINGER,
        /** Wait for the peer's close (or the relay's hold on it). */
        WAIT
    }

    /** What the deadline does. */
    enum AtDeadline {
        /** Write the awaited answer ({@link #echo()}), and arm the deadline once more for it. */
        ANSWER,
        /** Close the connection without waiting any more. */
        ABORT
    }

    private boolean sent;
    private boolean written;
    private boolean received;
    private int receivedCode = CloseStatus.NO_STATUS;
    private String receivedReason = "";
    /** The code the peer was failed with (it broke a rule), or 0. */
    private int failedWith;
    private String failedReason = "";
    private Scheduler.Task deadline;

    /** The peer's close frame arrived, valid. */
    void received(int code, String reason) {
        received = true;
        receivedCode = code;
        receivedReason = reason;
    }

    /** @return true once the peer's close frame has arrived */
    boolean isReceived() {
        return received;
    }

    /** @return true once this connection's close frame is decided: frames behind it are dropped */
    boolean isSent() {
        return sent;
    }

    /**
     * The peer broke a rule: it is failed with this code (unless it had closed already).
     *
     * @return true when this connection's close frame is written already: nothing more to write, linger
     */
    boolean fail(int code, String reason) {
        if (failedWith == 0 && !received) {
            failedWith = code;
            failedReason = reason;
        }
        return written;
    }

    /** @return true if this call claims this connection's one close frame, false if it was claimed before */
    boolean claim() {
        if (sent) {
            return false;
        }
        sent = true;
        return true;
    }

    /**
     * This connection's close frame is written.
     *
     * @param outstanding the peer's close frame is still with the relay
     */
    AfterWritten written(boolean outstanding) {
        written = true;
        if (failedWith != 0) {
            return AfterWritten.LINGER;
        }
        return received && !outstanding ? AfterWritten.CLOSE : AfterWritten.WAIT;
    }

    /**
     * The relay is done with the peer's close frame (relayed to the other side, or given up on).
     *
     * @param inPair the connection is in a pair, whose relay answers the peer
     */
    AfterRelayed relayed(boolean inPair) {
        if (!sent) {
            return inPair ? AfterRelayed.WAIT : AfterRelayed.ANSWER;
        }
        return written ? AfterRelayed.CLOSE : AfterRelayed.NOTHING;
    }

    /** @return the answer to the peer's close when no other is relayed: its code and no reason (empty for an empty close) */
    ByteBuffer echo() {
        return FrameWriter.closePayload(receivedCode, "");
    }

    /**
     * @param task the deadline, just scheduled
     * @return true if it is this handshake's deadline now; false if one is pending already (cancel this one)
     */
    boolean arm(Scheduler.Task task) {
        if (deadline != null) {
            return false;
        }
        deadline = task;
        return true;
    }

    /** @return the pending deadline, now disarmed (to cancel), or null */
    Scheduler.Task disarm() {
        Scheduler.Task t = deadline;
        deadline = null;
        return t;
    }

    /** The deadline passed. */
    AtDeadline expired() {
        deadline = null;
        return received && !sent ? AtDeadline.ANSWER : AtDeadline.ABORT;
    }

    /**
     * @param cause        why the connection closed, or null
     * @param idleExpired  its idle timeout expired while it was in no pair
     * @return how the connection ended, from what was seen on it
     */
    SideEnd end(Throwable cause, boolean idleExpired) {
        if (received) {
            return new SideEnd(SideEnd.Kind.CLOSED, receivedCode, receivedReason);
        }
        if (failedWith != 0) {
            return new SideEnd(SideEnd.Kind.PROTOCOL_ERROR, failedWith, failedReason);
        }
        if (idleExpired || cause instanceof TimeoutException) {
            return new SideEnd(SideEnd.Kind.IDLE_TIMEOUT, CloseStatus.ABNORMAL, "");
        }
        if (cause == null || cause instanceof IOException) {
            return new SideEnd(SideEnd.Kind.DISCONNECTED, CloseStatus.ABNORMAL, "");
        }
        return new SideEnd(SideEnd.Kind.FAILED, CloseStatus.ABNORMAL, String.valueOf(cause.getMessage()));
    }
}
