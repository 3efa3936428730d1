package io.wsgate.core.policy.message;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.wsgate.api.CloseStatus;
import io.wsgate.api.ConnectionPair;
import io.wsgate.api.Direction;
import io.wsgate.api.Frame;
import io.wsgate.api.MessageContext;
import io.wsgate.api.MessagePolicy;
import io.wsgate.api.MessageVerdict;

import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@code validate-json} policy: every text message must be one well-formed JSON value, optionally no deeper
 * than {@code maxDepth} (objects and arrays nested) and no larger than {@code maxBytes}. It reads the message with
 * Jackson's non-blocking streaming parser, fed frame by frame (so a message split in fragments, even inside a
 * UTF-8 character, is checked as one), and builds no tree. Binary messages pass (refuse them with
 * {@link MessageTypes}).
 *
 * <p>A violation either drops the message or closes the pair (the default) with 1007 (the default) or 1008 to the
 * sender. A message can only be dropped whole while its first frame has not gone on: a violation found in a later
 * fragment closes the pair whatever {@code onInvalid} says, so no part of an invalid message is completed.
 *
 * <p>State: one parser per pair and direction, made by {@link #open} and released by {@link #closed}; it is reused
 * from message to message (a new one only after an invalid message).
 *
 * <pre>{@code
 * MessagePolicy json = ValidateJson.builder().maxDepth(16).maxBytes(64 * 1024).build();
 * MessagePolicy lenient = ValidateJson.builder().onInvalid(ValidateJson.OnInvalid.DROP).build();
 * }</pre>
 *
 * In a gateway file:
 * <pre>{@code
 * onMessage:
 *   - validate-json: { maxDepth: 16, maxBytes: 64KiB, onInvalid: close, closeCode: 1008, direction: inbound }
 * }</pre>
 */
public final class ValidateJson implements MessagePolicy {

    /** The close reason of a message that is not one well-formed JSON value. */
    public static final String INVALID = "invalid JSON";
    /** The close reason of a message nested deeper than {@code maxDepth}. */
    public static final String TOO_DEEP = "JSON nested too deep";
    /** The close reason of a message larger than {@code maxBytes}. */
    public static final String TOO_LARGE = "JSON message too large";

    /** What becomes of an invalid message. */
    public enum OnInvalid {
        /** The message is not relayed (and counted), when it can still be withdrawn whole. */
        DROP,
        /** The pair is closed with the close code. */
        CLOSE
    }

    final OnInvalid onInvalid;
    final int maxDepth;
    final long maxBytes;
    final MessageVerdict invalid;
    final MessageVerdict tooDeep;
    final MessageVerdict tooLarge;
    final JsonFactory factory;
    private final int closeCode;
    final LongAdder invalidCount = new LongAdder();
    final LongAdder droppedCount = new LongAdder();
    final AtomicInteger open = new AtomicInteger();

    private ValidateJson(Builder b) {
        this.onInvalid = b.onInvalid;
        this.maxDepth = b.maxDepth;
        this.maxBytes = b.maxBytes;
        this.closeCode = b.closeCode;
        this.invalid = MessageVerdict.close(b.closeCode, INVALID);
        this.tooDeep = MessageVerdict.close(b.closeCode, TOO_DEEP);
        this.tooLarge = MessageVerdict.close(b.closeCode, TOO_LARGE);
        int depthLimit = b.maxDepth > 0 ? Math.max(b.maxDepth + 1, StreamReadConstraints.DEFAULT_MAX_DEPTH)
                : StreamReadConstraints.DEFAULT_MAX_DEPTH;
        this.factory = JsonFactory.builder()
                // field names are not interned: a pair's names never grow a table shared with other pairs
                .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(depthLimit).build())
                .build();
    }

    /** @return a builder: any depth, any size (within the API's {@code maxMessageSize}), close 1007 */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Not called by the gateway, which calls {@link #onFrame} only on what {@link #open} returned.
     *
     * @throws IllegalStateException always
     */
    @Override
    public MessageVerdict onFrame(MessageContext context, Frame frame) {
        throw new IllegalStateException("validate-json decides frames through the instance open() returned");
    }

    /** Called when a pair opens: a parser for that pair and direction. */
    @Override
    public MessagePolicy open(ConnectionPair pair, Direction direction) {
        JsonMessageCheck check = new JsonMessageCheck(this);
        open.incrementAndGet();
        return check;
    }

    /** @return the invalid text messages seen so far, all pairs together */
    public long invalid() {
        return invalidCount.sum();
    }

    /** @return the invalid messages dropped so far, all pairs together (with {@link OnInvalid#DROP}) */
    public long dropped() {
        return droppedCount.sum();
    }

    /** @return the pair directions opened and not yet closed (0 once every pair has ended) */
    public int openPairs() {
        return open.get();
    }

    @Override
    public String toString() {
        return "ValidateJson[" + (maxDepth > 0 ? "maxDepth " + maxDepth + ", " : "")
                + (maxBytes >= 0 ? "maxBytes " + maxBytes + ", " : "")
                + onInvalid.name().toLowerCase(Locale.ROOT) + (onInvalid == OnInvalid.CLOSE ? " " + closeCode : "") + "]";
    }

    /** Builds a {@link ValidateJson}; not thread-safe. */
    public static final class Builder {
        private OnInvalid onInvalid = OnInvalid.CLOSE;
        private int maxDepth;
        private long maxBytes = -1;
        private int closeCode = CloseStatus.BAD_DATA;

        private Builder() {
        }

        /** Sets the deepest nesting of objects and arrays accepted, at least 1 ({@code {"a":[1]}} is 2 deep). */
        public Builder maxDepth(int maxDepth) {
            if (maxDepth < 1) {
                throw new IllegalArgumentException("maxDepth must be at least 1, got " + maxDepth);
            }
            this.maxDepth = maxDepth;
            return this;
        }

        /** Sets the largest message accepted, in bytes across its fragments. */
        public Builder maxBytes(long maxBytes) {
            if (maxBytes < 1) {
                throw new IllegalArgumentException("maxBytes must be at least 1, got " + maxBytes);
            }
            this.maxBytes = maxBytes;
            return this;
        }

        /** Sets what becomes of an invalid message (default {@link OnInvalid#CLOSE}). */
        public Builder onInvalid(OnInvalid onInvalid) {
            this.onInvalid = Objects.requireNonNull(onInvalid, "onInvalid");
            return this;
        }

        /** Sets the close code of a violation: 1007 (the default, invalid data) or 1008 (policy violation). */
        public Builder closeCode(int closeCode) {
            if (closeCode != CloseStatus.BAD_DATA && closeCode != CloseStatus.POLICY_VIOLATION) {
                throw new IllegalArgumentException("closeCode is 1007 or 1008, got " + closeCode);
            }
            this.closeCode = closeCode;
            return this;
        }

        /** @return the policy */
        public ValidateJson build() {
            return new ValidateJson(this);
        }
    }

    /** @return {@code validate-json}, the type a gateway file names it by */
    @Override
    public String name() {
        return "validate-json";
    }
}
