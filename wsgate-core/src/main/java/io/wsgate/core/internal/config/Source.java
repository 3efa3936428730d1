package io.wsgate.core.internal.config;

import io.wsgate.core.Durations;
import io.wsgate.core.config.GatewayFileException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The file being read: makes located errors and reads scalar values, each refusal naming the file, line and key.
 *
 * @param name the file as named
 */
public record Source(String name) {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,18})\\s*(b|kib|mib|gib)?");

    /** Checks the name. */
    public Source {
        Objects.requireNonNull(name, "name");
    }

    /** @return an error at a node */
    public GatewayFileException error(YamlNode at, String path, String problem) {
        return GatewayFileException.of(name, at.line(), at.column(), path, problem);
    }

    /** @return an error at a key */
    public GatewayFileException error(YamlNode.Entry at, String path, String problem) {
        return GatewayFileException.of(name, at.line(), at.column(), path, problem);
    }

    /**
     * Runs a builder step and turns its {@link IllegalArgumentException} into an error at the node.
     *
     * @return what the step returned
     */
    public <T> T check(YamlNode at, String path, Supplier<T> step) {
        try {
            return step.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw error(at, path, String.valueOf(e.getMessage()));
        }
    }

    /** @return the node as text: a scalar that is not empty (numbers and booleans as written) */
    public String text(YamlNode node, String path) {
        if (node instanceof YamlNode.Scalar s && s.kind() != YamlNode.Kind.NULL) {
            return s.text();
        }
        throw error(node, path, "expected text, got " + node.describe());
    }

    /** @return the node as a boolean */
    public boolean bool(YamlNode node, String path) {
        if (node instanceof YamlNode.Scalar s && s.kind() == YamlNode.Kind.BOOLEAN) {
            return Boolean.parseBoolean(s.text());
        }
        throw error(node, path, "expected true or false, got " + node.describe());
    }

    /** @return the node as a whole number within bounds */
    public long integer(YamlNode node, String path, long min, long max) {
        if (node instanceof YamlNode.Scalar s && s.kind() == YamlNode.Kind.INTEGER) {
            try {
                long n = Long.parseLong(s.text().replace("_", ""));
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // out of range, reported below
            }
            throw error(node, path, "expected a whole number from " + min + " to " + max + ", got " + s.text());
        }
        throw error(node, path, "expected a whole number, got " + node.describe());
    }

    /** @return the node as a duration: {@code 30s}, {@code 5m}, {@code PT30S} */
    public Duration duration(YamlNode node, String path) {
        String text = text(node, path);
        return check(node, path, () -> Durations.parse(text));
    }

    /** @return the node as a positive duration */
    public Duration positiveDuration(YamlNode node, String path) {
        Duration d = duration(node, path);
        if (d.isZero() || d.isNegative()) {
            throw error(node, path, "expected a positive duration, got " + text(node, path));
        }
        return d;
    }

    /** @return the node as a size in bytes: a whole number, or with a unit: {@code 64KiB}, {@code 1MiB}, {@code 1GiB} */
    public long size(YamlNode node, String path) {
        String text = text(node, path);
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            long unit = m.group(2) == null ? 1 : switch (m.group(2)) {
                case "kib" -> 1024L;
                case "mib" -> 1024L * 1024;
                case "gib" -> 1024L * 1024 * 1024;
                default -> 1L;
            };
            if (n >= 1 && n <= Long.MAX_VALUE / unit) {
                return n * unit;
            }
        }
        throw error(node, path, "expected a size in bytes of at least 1, e.g. 65536, 64KiB or 1MiB; got " + node.describe());
    }

    /** @return the node's items: those of a list, or the node alone */
    public List<YamlNode> items(YamlNode node) {
        return node instanceof YamlNode.Sequence s ? s.items() : List.of(node);
    }

    /** @return text, or the texts of a list of them */
    public List<String> texts(YamlNode node, String path) {
        List<String> out = new ArrayList<>();
        List<YamlNode> items = items(node);
        for (int i = 0; i < items.size(); i++) {
            out.add(text(items.get(i), node instanceof YamlNode.Sequence ? path + "[" + i + "]" : path));
        }
        return out;
    }

    /**
     * @return the node as plain Java values for a custom policy: String, Long, Double, Boolean, List, Map
     * @throws GatewayFileException at a value that is empty
     */
    public Object plain(YamlNode node, String path) {
        if (node instanceof YamlNode.Mapping m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.entries().forEach((k, e) -> out.put(k, plain(e.value(), path + "." + k)));
            return java.util.Collections.unmodifiableMap(out);
        }
        if (node instanceof YamlNode.Sequence s) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < s.items().size(); i++) {
                out.add(plain(s.items().get(i), path + "[" + i + "]"));
            }
            return List.copyOf(out);
        }
        YamlNode.Scalar s = (YamlNode.Scalar) node;
        return switch (s.kind()) {
            case STRING -> s.text();
            case INTEGER -> check(node, path, () -> Long.parseLong(s.text().replace("_", "")));
            case DECIMAL -> check(node, path, () -> Double.parseDouble(s.text()));
            case BOOLEAN -> Boolean.parseBoolean(s.text());
            case NULL -> throw error(node, path, "has no value: give one, or remove the key");
        };
    }
}
