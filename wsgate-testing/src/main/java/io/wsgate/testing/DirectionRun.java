package io.wsgate.testing;

import io.wsgate.api.CloseStatus;
import io.wsgate.api.ConnectionPair;
import io.wsgate.api.Direction;
import io.wsgate.api.Frame;
import io.wsgate.api.FrameType;
import io.wsgate.api.MessageContext;
import io.wsgate.api.MessagePolicy;
import io.wsgate.api.MessageVerdict;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One direction of a tested pair: its opened policy instances, in chain order, run on each frame as the relay runs
 * them (the first verdict other than forward ends the chain; a replacement is what the next policy sees; a dropped
 * first frame drops its continuations unseen; a throw, a null or a failed stage closes with 1011). Test thread only.
 */
final class DirectionRun implements MessageContext {

    /** Ends the pair: close code and reason to the sender, or a failure. */
    interface Ending {
        void end(Direction direction, MessageVerdict close, Throwable failure);
    }

    private static final MessageVerdict INTERNAL = MessageVerdict.close(CloseStatus.INTERNAL_ERROR, "Internal error");

    private final Direction direction;
    private final TestConnectionPair pair;
    private final List<MessagePolicy> instances;
    private final Duration timeout;
    private final Ending ending;
    private final List<Frame> relayed = new ArrayList<>();
    private boolean text;
    private long messageBytes;
    private long messagesBefore;
    private boolean inMessage;
    private boolean droppingMessage;

    DirectionRun(Direction direction, TestConnectionPair pair, List<MessagePolicy> instances, Duration timeout, Ending ending) {
        this.direction = direction;
        this.pair = pair;
        this.instances = instances;
        this.timeout = timeout;
        this.ending = ending;
    }

    List<MessagePolicy> instances() {
        return instances;
    }

    boolean pairClosed() {
        return pair.isClosed();
    }

    List<Frame> relayed() {
        return List.copyOf(relayed);
    }

    MessageVerdict frame(Frame frame) {
        if (pair.isClosed()) {
            throw new IllegalStateException("the pair has ended: no frame goes through it");
        }
        if (!frame.type().isData()) {
            throw new IllegalArgumentException("message policies see data frames only, not " + frame.type());
        }
        if (frame.first() == inMessage) {
            throw new IllegalArgumentException(inMessage ? "a message is not finished: send its continuation"
                    : "no message is open: a continuation needs a first frame before it");
        }
        if (frame.first()) {
            text = frame.type().isText();
            messageBytes = 0;
        } else if (frame.type().isText() != text) {
            throw new IllegalArgumentException("a continuation of a " + (text ? "text" : "binary") + " message is " + frame.type());
        }
        messageBytes += frame.length();
        inMessage = !frame.last();
        MessageVerdict verdict = droppingMessage ? MessageVerdict.drop() : run(frame);
        if (frame.last() && verdict.kind() != MessageVerdict.Kind.CLOSE) {
            messagesBefore++;
        }
        if (frame.last()) {
            droppingMessage = false;
        }
        return verdict;
    }

    private MessageVerdict run(Frame frame) {
        Frame current = frame;
        boolean replaced = false;
        for (MessagePolicy p : instances) {
            MessageVerdict v;
            try {
                v = resolve(p.onFrame(this, current));
            } catch (RuntimeException | ExecutionException | TimeoutException e) {
                return fail(e instanceof ExecutionException ? e.getCause() : e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return fail(e);
            }
            if (v == null) {
                return fail(new NullPointerException(p + " returned no verdict"));
            }
            switch (v.kind()) {
                case FORWARD -> { }
                case REPLACE -> {
                    current = new Frame(current.type(), v.payload(), current.first(), current.last());
                    replaced = true;
                }
                case DROP -> {
                    if (frame.first()) {
                        droppingMessage = !frame.last();
                    } else {
                        relay(new Frame(frame.type(), ByteBuffer.allocate(0), false, frame.last()));
                    }
                    return v;
                }
                case CLOSE -> {
                    ending.end(direction, v, null);
                    return v;
                }
                default -> {
                    return fail(new IllegalStateException(p + " returned " + v));
                }
            }
        }
        if (replaced && current.type() == FrameType.UTF8_MESSAGE && !utf8(current.payload())) {
            return fail(new IllegalStateException("a replacement is not valid UTF-8"));
        }
        relay(current);
        return replaced ? MessageVerdict.replace(current.payload()) : MessageVerdict.forward();
    }

    private MessageVerdict resolve(MessageVerdict v) throws ExecutionException, InterruptedException, TimeoutException {
        if (v == null || v.kind() != MessageVerdict.Kind.LATER) {
            return v;
        }
        MessageVerdict done = v.stage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (done != null && done.kind() == MessageVerdict.Kind.LATER) {
            throw new ExecutionException(new IllegalStateException("a stage completed with another later verdict"));
        }
        return done;
    }

    private MessageVerdict fail(Throwable cause) {
        ending.end(direction, INTERNAL, cause);
        return INTERNAL;
    }

    private void relay(Frame frame) {
        ByteBuffer copy = ByteBuffer.allocate(frame.length());
        copy.put(frame.payload().duplicate()).flip();
        relayed.add(new Frame(frame.type(), copy.asReadOnlyBuffer(), frame.first(), frame.last()));
        pair.relayed(direction, frame.length(), frame.last());
    }

    private static boolean utf8(ByteBuffer bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes.duplicate());
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Override
    public ConnectionPair pair() {
        return pair;
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
}
