package io.wsgate.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A small command-line parser: {@code --flag}, {@code --name value} and {@code --name=value};
 * options may repeat. Any option not declared is a {@link UsageException}.
 */
public final class Args {

    private final Map<String, List<String>> values = new HashMap<>();

    private Args() {
    }

    /**
     * @param args   the arguments after the sub-command
     * @param flags  option names (without {@code --}) that take no value
     * @param valued option names that take one value
     * @return the parsed options
     * @throws UsageException on an unknown option, a missing value or a stray argument
     */
    public static Args parse(String[] args, Set<String> flags, Set<String> valued) {
        Args parsed = new Args();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name)) {
                if (value != null) {
                    throw new UsageException("option --" + name + " takes no value");
                }
                value = "true";
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new UsageException("option --" + name + " needs a value");
                    }
                    value = args[++i];
                }
            } else {
                throw new UsageException("unknown option --" + name);
            }
            parsed.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return parsed;
    }

    /** @return whether the flag was given */
    public boolean flag(String name) {
        return values.containsKey(name);
    }

    /** @return the last value of the option, if given */
    public Optional<String> value(String name) {
        List<String> list = values.get(name);
        return list == null ? Optional.empty() : Optional.of(list.get(list.size() - 1));
    }

    /** @return every value of a repeatable option, in order */
    public List<String> values(String name) {
        return List.copyOf(values.getOrDefault(name, List.of()));
    }

    /** @return the option as an int, or the default */
    public int intValue(String name, int defaultValue) {
        return value(name).map(v -> parseInt(name, v)).orElse(defaultValue);
    }

    /** @return the option as a double, or the default */
    public double doubleValue(String name, double defaultValue) {
        return value(name).map(v -> {
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new UsageException("option --" + name + ": '" + v + "' is not a number");
            }
        }).orElse(defaultValue);
    }

    /** @return the option as a duration ({@code 500ms}, {@code 2s}, {@code 1m} or plain seconds), or the default */
    public Duration duration(String name, Duration defaultValue) {
        return value(name).map(v -> parseDuration(name, v)).orElse(defaultValue);
    }

    static int parseInt(String name, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException("option --" + name + ": '" + v + "' is not an integer");
        }
    }

    static Duration parseDuration(String name, String v) {
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            }
            if (v.endsWith("m")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60_000));
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
        } catch (NumberFormatException e) {
            throw new UsageException("option --" + name + ": '" + v + "' is not a duration (e.g. 500ms, 2s, 1m)");
        }
    }
}
