package io.wsgate.core.policy.backend;

import io.wsgate.api.HandshakeContext;
import io.wsgate.api.Queries;
import io.wsgate.core.policy.jwt.JwtValidation;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A value with placeholders filled from the handshake: {@code ${claim.NAME}}, {@code ${header.NAME}},
 * {@code ${query.NAME}}, {@code ${attribute.NAME}}, {@code ${client.ip}}, {@code ${requestId}},
 * {@code ${api}} and {@code ${backend.path}}. Parsed once; a placeholder with no value makes the whole value
 * absent, so a policy never sends a half-filled value.
 */
final class ValueTemplate {

    private static final List<String> KINDS = List.of("claim.", "header.", "query.", "attribute.");
    private static final List<String> NAMES = List.of("client.ip", "requestId", "api", "backend.path");

    private final String text;
    private final List<Object> parts;

    private ValueTemplate(String text, List<Object> parts) {
        this.text = text;
        this.parts = List.copyOf(parts);
    }

    /**
     * @param text the template
     * @return it parsed
     * @throws IllegalArgumentException naming the template when a placeholder is unclosed or unknown
     */
    public static ValueTemplate parse(String text) {
        Objects.requireNonNull(text, "template");
        List<Object> parts = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int open = text.indexOf("${", i);
            if (open < 0) {
                parts.add(text.substring(i));
                break;
            }
            if (open > i) {
                parts.add(text.substring(i, open));
            }
            int close = text.indexOf('}', open);
            if (close < 0) {
                throw new IllegalArgumentException("template '" + text + "' has an unclosed '${'");
            }
            String ref = text.substring(open + 2, close);
            boolean known = NAMES.contains(ref) || KINDS.stream().anyMatch(k -> ref.startsWith(k) && ref.length() > k.length());
            if (!known) {
                throw new IllegalArgumentException("template '" + text + "' has an unknown placeholder '${" + ref
                        + "}'; use claim.NAME, header.NAME, query.NAME, attribute.NAME, client.ip, requestId, api or backend.path");
            }
            parts.add(new Ref(ref));
            i = close + 1;
        }
        return new ValueTemplate(text, parts);
    }

    /**
     * @param context the handshake
     * @param escape  applied to every filled-in value (e.g. percent-encoding for a path); not to literal text
     * @return the value, or empty when a placeholder has no value
     */
    public Optional<String> render(HandshakeContext context, UnaryOperator<String> escape) {
        StringBuilder b = new StringBuilder();
        for (Object p : parts) {
            if (p instanceof Ref r) {
                Optional<String> v = resolve(r.name, context);
                if (v.isEmpty()) {
                    return Optional.empty();
                }
                b.append(r.name.equals("backend.path") ? v.get() : escape.apply(v.get()));
            } else {
                b.append((String) p);
            }
        }
        return Optional.of(b.toString());
    }

    private static Optional<String> resolve(String ref, HandshakeContext ctx) {
        switch (ref) {
            case "client.ip": {
                InetAddress a = ctx.request().clientAddress().getAddress();
                return a == null ? Optional.empty() : Optional.of(a.getHostAddress());
            }
            case "requestId":
                return Optional.of(ctx.requestId());
            case "api":
                return Optional.of(ctx.api().name());
            case "backend.path":
                return Optional.ofNullable(ctx.backend().uri().getRawPath());
            default:
                break;
        }
        int dot = ref.indexOf('.');
        String kind = ref.substring(0, dot);
        String name = ref.substring(dot + 1);
        return switch (kind) {
            case "header" -> ctx.request().header(name);
            case "query" -> Queries.parameter(ctx.request().query(), name);
            case "attribute" -> Optional.ofNullable(ctx.attributes().get(name)).map(String::valueOf);
            default -> claim(ctx, name);
        };
    }

    private static Optional<String> claim(HandshakeContext ctx, String name) {
        Object claims = ctx.attributes().get(JwtValidation.CLAIMS_ATTRIBUTE);
        if (claims instanceof Map<?, ?> map) {
            Object v = map.get(name);
            if (v instanceof List<?> list) {
                return Optional.of(String.join(",", list.stream().map(String::valueOf).toList()));
            }
            return Optional.ofNullable(v).map(String::valueOf);
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return text;
    }

    private record Ref(String name) {
    }
}
