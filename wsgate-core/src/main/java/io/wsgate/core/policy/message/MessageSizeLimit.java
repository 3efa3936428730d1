package io.wsgate.core.policy.message;

import io.wsgate.api.CloseStatus;
import io.wsgate.api.Frame;
import io.wsgate.api.MessageContext;
import io.wsgate.api.MessagePolicy;
import io.wsgate.api.MessageVerdict;

/**
 * The {@code message-size-limit} policy: a message larger than {@code maxBytes}, counted across its fragments as
 * received ({@link MessageContext#messageBytes()}), closes the pair: 1009 "Message too big" to its sender, as the
 * API's own {@code maxMessageSize} does. Placed on one direction it sets a smaller limit for that direction only
 * (a chat API taking 4 KiB from clients and 1 MiB from its backend). The frame that passes the limit is the one
 * refused: earlier fragments of the message have gone on. Stateless; allocates nothing.
 *
 * <pre>{@code
 * MessagePolicy fromClients = MessageSizeLimit.of(4096);
 * }</pre>
 *
 * In a gateway file:
 * <pre>{@code
 * onMessage:
 *   - message-size-limit: { maxBytes: 4KiB, direction: inbound }
 * }</pre>
 */
public final class MessageSizeLimit implements MessagePolicy {

    /** The close reason beyond the limit. */
    public static final String REASON = "Message too big";

    private static final MessageVerdict TOO_BIG = MessageVerdict.close(CloseStatus.MESSAGE_TOO_BIG, REASON);

    private final long maxBytes;

    private MessageSizeLimit(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * @param maxBytes the largest message in bytes, at least 0 (0 accepts only empty messages)
     * @return the policy
     */
    public static MessageSizeLimit of(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be 0 or more, got " + maxBytes);
        }
        return new MessageSizeLimit(maxBytes);
    }

    /** @return the largest message accepted, in bytes */
    public long maxBytes() {
        return maxBytes;
    }

    /** Called on the transport thread, once per data frame. */
    @Override
    public MessageVerdict onFrame(MessageContext context, Frame frame) {
        return context.messageBytes() > maxBytes ? TOO_BIG : MessageVerdict.forward();
    }

    @Override
    public String toString() {
        return "MessageSizeLimit[" + maxBytes + " bytes]";
    }

    /** @return {@code message-size-limit}, the type a gateway file names it by */
    @Override
    public String name() {
        return "message-size-limit";
    }
}
