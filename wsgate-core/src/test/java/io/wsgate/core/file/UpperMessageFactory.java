package io.wsgate.core.file;

import io.wsgate.api.MessagePolicy;
import io.wsgate.api.MessageVerdict;
import io.wsgate.core.config.MessagePolicyFactory;
import io.wsgate.core.config.PolicyOptions;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** A custom message policy factory found through ServiceLoader in the tests: upper-cases text messages. */
public final class UpperMessageFactory implements MessagePolicyFactory {

    @Override
    public String type() {
        return "upper-case";
    }

    @Override
    public MessagePolicy create(PolicyOptions options) {
        return new MessagePolicy() {
            @Override
            public MessageVerdict onFrame(io.wsgate.api.MessageContext context, io.wsgate.api.Frame frame) {
                if (!context.text()) {
                    return MessageVerdict.forward();
                }
                String s = StandardCharsets.UTF_8.decode(frame.payload().duplicate()).toString();
                return MessageVerdict.replace(ByteBuffer.wrap(s.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)));
            }

            @Override
            public String name() {
                return "upper-case";
            }
        };
    }
}
