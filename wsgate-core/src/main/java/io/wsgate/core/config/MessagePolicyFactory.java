package io.wsgate.core.config;

import io.wsgate.api.MessagePolicy;

import java.util.Objects;
import java.util.function.Function;

/**
 * Makes the message policy a gateway file names by type in an {@code onMessage} list, as {@link PolicyFactory}
 * does for handshake policies: every built-in message policy is made by one ({@code io.wsgate.core.policy.message}
 * lists them); custom ones are found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/io.wsgate.core.config.MessagePolicyFactory}) or handed to the loader. A type names
 * either a handshake policy or a message policy, never both. Called on the thread that loads the file.
 */
public interface MessagePolicyFactory {

    /**
     * @param type the type the file names
     * @param make makes the policy from an entry's options
     * @return a factory of that type
     */
    static MessagePolicyFactory of(String type, Function<PolicyOptions, MessagePolicy> make) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(make, "make");
        if (type.isBlank()) {
            throw new IllegalArgumentException("a message policy type is blank");
        }
        return new MessagePolicyFactory() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public MessagePolicy create(PolicyOptions options) {
                return make.apply(options);
            }

            @Override
            public String toString() {
                return "MessagePolicyFactory[" + type + "]";
            }
        };
    }

    /** @return the type the file names, e.g. {@code message-rate-limit} */
    String type();

    /**
     * @param options the entry's options (the {@code direction} key is the loader's, not the policy's)
     * @return the policy
     * @throws IllegalArgumentException naming a bad or missing option; the loader adds the file, line and key
     */
    MessagePolicy create(PolicyOptions options);
}
