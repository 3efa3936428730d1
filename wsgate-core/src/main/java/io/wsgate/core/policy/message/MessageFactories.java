package io.wsgate.core.policy.message;

import io.wsgate.core.config.MessagePolicyFactory;

import java.util.List;

/** The built-in message policies, as a gateway file names them in {@code onMessage} lists. */
public final class MessageFactories {

    private MessageFactories() {
    }

    /** @return the factories of this family, one per policy type */
    public static List<MessagePolicyFactory> all() {
        return List.of();
    }
}
