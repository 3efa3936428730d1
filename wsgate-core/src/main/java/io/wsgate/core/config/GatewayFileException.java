package io.wsgate.core.config;

import io.wsgate.core.error.ConfigurationException;

import java.util.Objects;

/**
 * A gateway file cannot be loaded. The message starts with the file, line and column, then the key (its
 * path in the file, e.g. {@code apis[0].limits.idleTimeout}), then what is wrong and how to fix it:
 * {@code gateway.yaml:12:7: apis[0].limits.idleTimeout: 'soon' is not a duration: write e.g. 500ms, 30s...}.
 */
public final class GatewayFileException extends ConfigurationException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final int column;
    private final String key;
    private final String problem;

    private GatewayFileException(String file, int line, int column, String key, String problem) {
        super(file + ":" + line + ":" + column + ": " + (key.isEmpty() ? "" : key + ": ") + problem);
        this.file = file;
        this.line = line;
        this.column = column;
        this.key = key;
        this.problem = problem;
    }

    /**
     * @param file    the file as it was named
     * @param line    the line, from 1
     * @param column  the column, from 1
     * @param key     the key's path in the file; "" for the file as a whole
     * @param problem what is wrong and how to fix it
     * @return the exception
     */
    public static GatewayFileException of(String file, int line, int column, String key, String problem) {
        return new GatewayFileException(Objects.requireNonNull(file, "file"), line, column,
                Objects.requireNonNull(key, "key"), Objects.requireNonNull(problem, "problem"));
    }

    /** @return the file as it was named */
    public String file() {
        return file;
    }

    /** @return the line of the bad value or key, from 1 */
    public int line() {
        return line;
    }

    /** @return the column of the bad value or key, from 1 */
    public int column() {
        return column;
    }

    /** @return the key's path in the file, e.g. {@code apis[0].backendUrl}; "" for the file as a whole */
    public String key() {
        return key;
    }

    /** @return what is wrong, without the location */
    public String problem() {
        return problem;
    }
}
