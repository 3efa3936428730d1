package io.wsgate.core.policy.message;

import io.wsgate.api.MessagePolicy;
import io.wsgate.core.config.MessagePolicyFactory;
import io.wsgate.core.config.PolicyOptions;
import io.wsgate.core.policy.limit.LimitFactories;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in message policies, as a gateway file names them in {@code onMessage} lists:
 * {@code message-rate-limit}, {@code message-size-limit}, {@code message-types} and {@code validate-json}. An
 * entry's {@code direction} is the loader's; any other key a policy does not know is refused. Called on the
 * thread that loads the file.
 */
public final class MessageFactories {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,18})\\s*(b|kib|mib|gib)?");

    private MessageFactories() {
    }

    /** @return the factories of this family, one per policy type */
    public static List<MessagePolicyFactory> all() {
        return List.of(
                MessagePolicyFactory.of("message-rate-limit", MessageFactories::rateLimit),
                MessagePolicyFactory.of("message-size-limit",
                        o -> MessageSizeLimit.of(size(o.require("maxBytes"), 0))),
                MessagePolicyFactory.of("message-types", MessageFactories::types),
                MessagePolicyFactory.of("validate-json", MessageFactories::validateJson));
    }

    private static MessagePolicy rateLimit(PolicyOptions o) {
        long permits = o.requireInteger("permits", 1, Long.MAX_VALUE);
        MessageRateLimit.Builder b = MessageRateLimit.builder(permits, o.requirePositiveDuration("period"));
        b.clock(o.clock());
        o.get("key").ifPresent(k -> b.key(LimitFactories.rateKey(k)));
        o.integer("maxKeys", 1, Integer.MAX_VALUE).ifPresent(m -> b.maxKeys(m.intValue()));
        o.get("onExceed").ifPresent(v -> b.onExceed(choice(v, MessageRateLimit.OnExceed.class)));
        return b.build();
    }

    private static MessagePolicy types(PolicyOptions o) {
        List<PolicyOptions> items = o.items("accept");
        if (items.isEmpty()) {
            throw o.require("accept").error("accept lists what is accepted: text, binary or both");
        }
        EnumSet<MessageTypes.Type> accepted = EnumSet.noneOf(MessageTypes.Type.class);
        for (PolicyOptions item : items) {
            accepted.add(choice(item, MessageTypes.Type.class));
        }
        return MessageTypes.accepting(accepted);
    }

    private static MessagePolicy validateJson(PolicyOptions o) {
        ValidateJson.Builder b = ValidateJson.builder();
        o.integer("maxDepth", 1, Integer.MAX_VALUE).ifPresent(d -> b.maxDepth(d.intValue()));
        o.get("maxBytes").ifPresent(v -> b.maxBytes(size(v, 1)));
        o.get("onInvalid").ifPresent(v -> b.onInvalid(choice(v, ValidateJson.OnInvalid.class)));
        o.integer("closeCode", 1007, 1008).ifPresent(c -> b.closeCode(c.intValue()));
        return b.build();
    }

    /** @return one of an enum's constants, written in lower case in the file */
    private static <E extends Enum<E>> E choice(PolicyOptions value, Class<E> type) {
        String text = value.text();
        for (E e : type.getEnumConstants()) {
            if (e.name().toLowerCase(Locale.ROOT).equals(text)) {
                return e;
            }
        }
        StringBuilder names = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            names.append(names.length() == 0 ? "" : " or ").append(e.name().toLowerCase(Locale.ROOT));
        }
        throw value.error("expected " + names + ", got '" + text + "'");
    }

    /** @return a size as the API's {@code maxMessageSize} is written: 65536, 64KiB, 1MiB */
    private static long size(PolicyOptions value, long min) {
        String text = value.text();
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            long unit = m.group(2) == null ? 1 : switch (m.group(2)) {
                case "kib" -> 1024L;
                case "mib" -> 1024L * 1024;
                case "gib" -> 1024L * 1024 * 1024;
                default -> 1L;
            };
            if (n >= min && n <= Long.MAX_VALUE / unit) {
                return n * unit;
            }
        }
        throw value.error("expected a size in bytes of at least " + min + ", e.g. 4096, 4KiB or 1MiB; got '" + text + "'");
    }
}
