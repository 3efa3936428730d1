package io.wsgate.core.internal.relay;

import io.wsgate.api.ConnectionPair;
import io.wsgate.api.Completion;
import io.wsgate.api.Direction;
import io.wsgate.api.Frame;
import io.wsgate.api.FrameType;
import io.wsgate.api.MessageContext;
import io.wsgate.api.MessagePolicy;
import io.wsgate.api.MessageVerdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The message policies of one direction of one pair: the instances {@link MessagePolicy#open} made for it, the
 * {@link MessageContext} they are shown (this object, reused for every frame), and the rules of their verdicts.
 * Made by its {@link DefaultPairRelay} only when the direction has policies; the relay hands it each data frame that
 * passed the gateway's own checks.
 *
 * <p>One frame at a time (the transport reads the next only when the frame's completion has completed), so the
 * per-frame fields have one writer at a time: the direction's reader, or the thread that completed a pending stage.
 * The state of the instances ({@link #IDLE}, {@link #BUSY}, {@link #CLOSING}, {@link #CLOSED}) is atomic: {@code closed}
 * is called exactly once on each instance, never while one of its {@code onFrame} calls runs. A stage still pending
 * when the pair ends is not waited for: its frame's completion is completed then, and its verdict ignored.
 *
 * <p>Forwarding and dropping allocate nothing; a replacement costs its {@link Frame}, a pending stage its callback.
 */
final class MessageRunner implements MessageContext {

    private static final Logger LOG = LoggerFactory.getLogger(MessageRunner.class);

    /** No call of a policy runs. */
    private static final int IDLE = 0;
    /** A policy's {@code onFrame} runs. */
    private static final int BUSY = 1;
    /** The pair ended while a call ran: the caller closes the instances when it returns. */
    private static final int CLOSING = 2;
    /** The instances were closed. */
    private static final int CLOSED = 3;

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();
    private static final Frame EMPTY_TEXT = new Frame(FrameType.UTF8_FRAGMENT, EMPTY, false, false);
    private static final Frame EMPTY_TEXT_LAST = new Frame(FrameType.UTF8_FRAGMENT, EMPTY, false, true);
    private static final Frame EMPTY_BINARY = new Frame(FrameType.BINARY_FRAGMENT, EMPTY, false, false);
    private static final Frame EMPTY_BINARY_LAST = new Frame(FrameType.BINARY_FRAGMENT, EMPTY, false, true);

    private final DefaultPairRelay relay;
    private final Direction direction;
    private final List<MessagePolicy> declared;
    private final AtomicInteger state = new AtomicInteger(IDLE);
    /** The completion of the frame a pending stage holds; taken by whoever completes it first. */
    private final AtomicReference<Completion> pending = new AtomicReference<>();
    /** The relayed text of the current message, validated apart once a policy changed it. */
    private final Utf8Validator relayedText = new Utf8Validator();
    // set by open(), before the transports start
    private MessagePolicy[] policies = new MessagePolicy[0];
    // per frame: one writer at a time (see the class comment)
    private boolean text;
    private long messageBytes;
    private long messagesBefore;
    private int utf8Before;
    /** The current message's first frame was dropped: its other frames are dropped unseen. */
    private boolean dropping;
    /** The relayed text of the current message differs from the received one. */
    private boolean diverged;

    MessageRunner(DefaultPairRelay relay, Direction direction, List<MessagePolicy> policies) {
        this.relay = relay;
        this.direction = direction;
        this.declared = List.copyOf(policies);
    }

    // ------------------------------------------------------------------ MessageContext

    @Override
    public ConnectionPair pair() {
        return relay;
    }

    @Override
    public Direction direction() {
        return direction;
    }

    @Override
    public boolean text() {
        return text;
    }

    @Override
    public long messageBytes() {
        return messageBytes;
    }

    @Override
    public long messagesBefore() {
        return messagesBefore;
    }

    // ------------------------------------------------------------------ the pair's life

    /**
     * Opens every policy for the pair, in order, on the thread that established it.
     *
     * @return false when one threw or returned null: the pair must be closed (those opened are closed when it ends)
     */
    boolean open() {
        if (!enter()) {
            return true; // the pair ended before its policies were opened: nothing to open
        }
        MessagePolicy[] opened = new MessagePolicy[declared.size()];
        int n = 0;
        boolean ok = true;
        for (MessagePolicy p : declared) {
            try {
                MessagePolicy instance = p.open(relay, direction);
                if (instance == null) {
                    failed(p, "open returned null", null);
                    ok = false;
                    break;
                }
                opened[n++] = instance;
            } catch (RuntimeException e) {
                failed(p, "open threw", e);
                ok = false;
                break;
            }
        }
        policies = n == opened.length ? opened : Arrays.copyOf(opened, n);
        leave();
        return ok;
    }

    /** The pair ended: completes a frame a stage still holds, and closes the instances (now, or when the call running returns). */
    void ended() {
        release();
        while (true) {
            int s = state.get();
            if (s == CLOSING || s == CLOSED) {
                return;
            }
            if (s == IDLE && state.compareAndSet(IDLE, CLOSED)) {
                closeInstances();
                return;
            }
            if (s == BUSY && state.compareAndSet(BUSY, CLOSING)) {
                return;
            }
        }
    }

    /** The pair is closing: a frame a pending stage holds is let go (it would be dropped anyway), so its side is read on. */
    void release() {
        Completion held = pending.getAndSet(null);
        if (held != null) {
            relay.skip(direction, held);
        }
    }

    private boolean enter() {
        return state.compareAndSet(IDLE, BUSY);
    }

    private void leave() {
        if (!state.compareAndSet(BUSY, IDLE)) {
            state.set(CLOSED);
            closeInstances();
        }
    }

    private void closeInstances() {
        for (MessagePolicy p : policies) {
            try {
                p.closed(relay);
            } catch (RuntimeException e) {
                LOG.warn("pair {} (request {}): message policy '{}' failed in closed()", relay.id(), relay.requestId(), p.name(), e);
            }
        }
    }

    // ------------------------------------------------------------------ frames

    /**
     * A data frame that passed the gateway's checks.
     *
     * @param frame          the frame as received
     * @param text           whether its message is text
     * @param messageBytes   its message's bytes so far, this frame's included
     * @param messagesBefore the messages of the direction before this one
     * @param utf8Before     the state of the received text's validation before this frame
     * @param done           the frame's completion
     */
    void frame(Frame frame, boolean text, long messageBytes, long messagesBefore, int utf8Before, Completion done) {
        if (frame.first()) {
            dropping = false;
            diverged = false;
        } else if (dropping) {
            relay.skip(direction, done);
            return;
        }
        this.text = text;
        this.messageBytes = messageBytes;
        this.messagesBefore = messagesBefore;
        this.utf8Before = utf8Before;
        if (!enter()) {
            done.succeeded(); // the pair has ended
            return;
        }
        run(0, frame, frame, null, done);
    }

    /** Runs the policies from {@code from} on, while {@link #BUSY}; {@code given} is the verdict of that one, if known. */
    private void run(int from, Frame received, Frame current, MessageVerdict given, Completion done) {
        for (int i = from; i < policies.length; i++) {
            MessageVerdict v = given;
            given = null;
            if (v == null) {
                try {
                    v = policies[i].onFrame(this, current);
                } catch (RuntimeException | Error e) {
                    if (e instanceof VirtualMachineError) {
                        throw e;
                    }
                    fail(i, "threw", e, done);
                    return;
                }
                if (v == null) {
                    fail(i, "returned no verdict", null, done);
                    return;
                }
            }
            switch (v.kind()) {
                case FORWARD -> {
                }
                case REPLACE -> current = new Frame(current.type(), v.payload(), current.first(), current.last());
                case DROP -> {
                    leave();
                    drop(received, done);
                    return;
                }
                case CLOSE -> {
                    leave();
                    relay.policyClose(direction, v.closeCode(), v.closeReason());
                    done.succeeded();
                    return;
                }
                case LATER -> {
                    later(i, received, current, v.stage(), done);
                    return;
                }
                default -> throw new IllegalStateException(v.toString());
            }
        }
        leave();
        deliver(received, current, done);
    }

    /** Waits for a stage's verdict; the direction reads nothing meanwhile (its completion is held). */
    private void later(int index, Frame received, Frame current, CompletionStage<MessageVerdict> stage, Completion done) {
        pending.set(done);
        leave();
        if (state.get() == CLOSED) {
            release(); // the pair ended while the policy ran: the frame is not held for a verdict no one will use
        }
        stage.whenComplete((v, error) -> resume(index, received, current, v, error));
    }

    private void resume(int index, Frame received, Frame current, MessageVerdict v, Throwable error) {
        Completion done = pending.getAndSet(null);
        if (done == null) {
            return; // the pair ended or is closing: the frame was let go
        }
        if (!enter()) {
            done.succeeded();
            return;
        }
        if (error != null) {
            fail(index, "completed its stage exceptionally", error, done);
        } else if (v == null) {
            fail(index, "completed its stage with no verdict", null, done);
        } else if (v.kind() == MessageVerdict.Kind.LATER) {
            fail(index, "completed its stage with another later verdict", null, done);
        } else {
            run(index, received, current, v, done);
        }
    }

    /** Drops a frame: its whole message when it is the first, else it becomes an empty fragment. */
    private void drop(Frame received, Completion done) {
        if (received.first()) {
            dropping = !received.last();
            relay.skip(direction, done);
            return;
        }
        boolean isText = received.type() == FrameType.UTF8_FRAGMENT;
        Frame empty = isText ? (received.last() ? EMPTY_TEXT_LAST : EMPTY_TEXT) : (received.last() ? EMPTY_BINARY_LAST : EMPTY_BINARY);
        deliver(received, empty, done);
    }

    /** Relays the frame the policies made of the received one, checking the relayed text once it differs. */
    private void deliver(Frame received, Frame current, Completion done) {
        if (text && (diverged || current != received)) {
            if (!diverged) {
                relayedText.restore(utf8Before);
                diverged = true;
            }
            if (!relayedText.feed(current.payload()) || (current.last() && !relayedText.complete())) {
                LOG.error("pair {} (request {}): a message policy {} made a text message that is not UTF-8; closing the pair with 1011",
                        relay.id(), relay.requestId(), label());
                relay.policyFailed();
                done.succeeded();
                return;
            }
        }
        relay.relay(direction, current, done);
    }

    private void fail(int index, String what, Throwable cause, Completion done) {
        leave();
        failed(policies[index], what, cause);
        relay.policyFailed();
        done.succeeded();
    }

    private void failed(MessagePolicy p, String what, Throwable cause) {
        LOG.error("pair {} (request {}): message policy '{}' {} {}; closing the pair with 1011", relay.id(), relay.requestId(),
                p.name(), label(), what, cause);
    }

    private String label() {
        return direction == Direction.CLIENT_TO_BACKEND ? "(inbound)" : "(outbound)";
    }

    @Override
    public String toString() {
        return "MessageRunner[" + relay.id() + " " + direction + ", " + declared.size() + " policies]";
    }
}
