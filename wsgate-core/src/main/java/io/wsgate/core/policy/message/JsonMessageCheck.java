package io.wsgate.core.policy.message;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteBufferFeeder;
import io.wsgate.api.ConnectionPair;
import io.wsgate.api.Frame;
import io.wsgate.api.MessageContext;
import io.wsgate.api.MessagePolicy;
import io.wsgate.api.MessageVerdict;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * {@link ValidateJson} on one pair in one direction: a non-blocking Jackson parser fed each frame of a text
 * message as it comes. Messages follow one another in the same parser, a space fed after each one ends its last
 * token (a number is only complete at a delimiter); each message must hold exactly one root value. Called on the
 * transport thread of its direction, one frame at a time.
 */
final class JsonMessageCheck implements MessagePolicy {

    /** Read by the parser with absolute reads only (its position never moves): one buffer serves every check. */
    /** Read by the parser with absolute reads only (its position never moves): one buffer serves every check. */
    private static final ByteBuffer SEPARATOR = ByteBuffer.wrap(new byte[] {' '}).asReadOnlyBuffer();

    private final ValidateJson policy;
    private JsonParser parser;
    private ByteBufferFeeder feeder;
    /** Objects and arrays open now. */
    private int depth;
    /** Root values the current message has completed. */
    private int values;
    /** True between the first and the last frame of a text message being checked. */
    private boolean inMessage;
    private boolean closed;

    JsonMessageCheck(ValidateJson policy) {
        this.policy = policy;
        newParser();
    }

    @Override
    public MessageVerdict onFrame(MessageContext context, Frame frame) {
        if (!context.text()) {
            return MessageVerdict.forward();
        }
        if (frame.first()) {
            if (inMessage) {
                newParser(); // the last message's end was not shown to this policy (a later one dropped it)
            }
            inMessage = true;
            values = 0;
        } else if (!inMessage) {
            return MessageVerdict.forward(); // a continuation of a message this check gave up on
        }
        if (policy.maxBytes >= 0 && context.messageBytes() > policy.maxBytes) {
            return violation(frame, policy.tooLarge);
        }
        MessageVerdict verdict = feed(frame.payload());
        if (verdict == null && frame.last()) {
            verdict = feed(SEPARATOR);
            if (verdict == null && (values != 1 || depth != 0)) {
                verdict = policy.invalid; // empty, incomplete, or more than one value
            }
            if (verdict == null) {
                inMessage = false;
                return MessageVerdict.forward();
            }
        }
        return verdict == null ? MessageVerdict.forward() : violation(frame, verdict);
    }

    /** @return null while the message is valid so far, else the close verdict of what is wrong */
    private MessageVerdict feed(ByteBuffer bytes) {
        if (!bytes.hasRemaining()) {
            return null;
        }
        try {
            feeder.feedInput(bytes);
            JsonToken t;
            while ((t = parser.nextToken()) != null && t != JsonToken.NOT_AVAILABLE) {
                if (t.isStructStart()) {
                    if (values > 0 && depth == 0) {
                        return policy.invalid;
                    }
                    if (++depth > policy.maxDepth && policy.maxDepth > 0) {
                        return policy.tooDeep;
                    }
                } else if (t.isStructEnd()) {
                    if (--depth == 0) {
                        values++;
                    }
                } else if (depth == 0 && ++values > 1) {
                    return policy.invalid;
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return policy.invalid; // malformed (JsonParseException), or past Jackson's own read constraints
        }
    }

    private MessageVerdict violation(Frame frame, MessageVerdict close) {
        policy.invalidCount.increment();
        newParser();
        inMessage = false;
        if (frame.first() && policy.onInvalid == ValidateJson.OnInvalid.DROP) {
            policy.droppedCount.increment();
            return MessageVerdict.drop();
        }
        return close;
    }

    private void newParser() {
        closeParser();
        try {
            parser = policy.factory.createNonBlockingByteBufferParser();
        } catch (IOException e) {
            throw new UncheckedIOException("no JSON parser", e);
        }
        feeder = (ByteBufferFeeder) parser.getNonBlockingInputFeeder();
        depth = 0;
        values = 0;
    }

    private void closeParser() {
        if (parser != null) {
            try {
                parser.close();
            } catch (IOException ignored) {
                // nothing is read from outside: closing releases buffers only
            }
            parser = null;
            feeder = null;
        }
    }

    @Override
    public void closed(ConnectionPair pair) {
        if (!closed) {
            closed = true;
            closeParser();
            policy.open.decrementAndGet();
        }
    }

    @Override
    public String toString() {
        return policy.toString();
    }
}
