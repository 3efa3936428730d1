package io.wsgate.core.policy.message;

import io.wsgate.api.CloseStatus;
import io.wsgate.api.Frame;
import io.wsgate.api.MessageContext;
import io.wsgate.api.MessagePolicy;
import io.wsgate.api.MessageVerdict;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code message-types} policy: which kinds of message (text, binary) a direction accepts; a message of
 * another kind closes the pair, 1003 "Unsupported data" to its sender, on its first frame. Stateless; allocates
 * nothing.
 *
 * <pre>{@code
 * MessagePolicy textOnly = MessageTypes.accepting(MessageTypes.Type.TEXT);
 * }</pre>
 *
 * In a gateway file:
 * <pre>{@code
 * onMessage:
 *   - message-types: { accept: [text] }
 * }</pre>
 */
public final class MessageTypes implements MessagePolicy {

    /** The close reason for a message of a refused kind. */
    public static final String REASON = "Unsupported data";

    private static final MessageVerdict UNSUPPORTED = MessageVerdict.close(CloseStatus.UNSUPPORTED_DATA, REASON);

    /** A kind of message. */
    public enum Type {
        /** Text (UTF-8) messages. */
        TEXT,
        /** Binary messages. */
        BINARY;

        /** @return the name a gateway file uses: {@code text} or {@code binary} */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final boolean text;
    private final boolean binary;

    private MessageTypes(Set<Type> accepted) {
        this.text = accepted.contains(Type.TEXT);
        this.binary = accepted.contains(Type.BINARY);
    }

    /**
     * @param first a kind accepted
     * @param more  more kinds accepted
     * @return the policy refusing every other kind
     */
    public static MessageTypes accepting(Type first, Type... more) {
        EnumSet<Type> set = EnumSet.of(Objects.requireNonNull(first, "first"));
        for (Type t : more) {
            set.add(Objects.requireNonNull(t, "type"));
        }
        return new MessageTypes(set);
    }

    /**
     * @param accepted the kinds accepted, at least one
     * @return the policy refusing every other kind
     */
    public static MessageTypes accepting(Set<Type> accepted) {
        if (accepted.isEmpty()) {
            throw new IllegalArgumentException("accept at least one of text and binary");
        }
        return new MessageTypes(EnumSet.copyOf(accepted));
    }

    /** @return the kinds accepted */
    public Set<Type> accepted() {
        EnumSet<Type> set = EnumSet.noneOf(Type.class);
        if (text) {
            set.add(Type.TEXT);
        }
        if (binary) {
            set.add(Type.BINARY);
        }
        return Collections.unmodifiableSet(set);
    }

    /** Called on the transport thread, once per data frame. */
    @Override
    public MessageVerdict onFrame(MessageContext context, Frame frame) {
        return (context.text() ? text : binary) ? MessageVerdict.forward() : UNSUPPORTED;
    }

    @Override
    public String toString() {
        return "MessageTypes" + accepted();
    }

    /** @return {@code message-types}, the type a gateway file names it by */
    @Override
    public String name() {
        return "message-types";
    }
}
