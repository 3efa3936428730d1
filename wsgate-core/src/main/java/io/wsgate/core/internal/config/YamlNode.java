package io.wsgate.core.internal.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A node of a YAML document with the line and column it starts at. */
public sealed interface YamlNode {

    /** @return the line, from 1 */
    int line();

    /** @return the column, from 1 */
    int column();

    /** @return what this node is, for messages: "a map", "a list", "text", "a number"... */
    String describe();

    /**
     * A mapping, its keys in file order.
     *
     * @param line    the line
     * @param column  the column
     * @param entries the entries by key
     */
    record Mapping(int line, int column, Map<String, Entry> entries) implements YamlNode {
        /** Copies the entries, keeping their order. */
        public Mapping {
            entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        @Override
        public String describe() {
            return "a map";
        }
    }

    /**
     * A key and its value.
     *
     * @param key    the key
     * @param line   the key's line
     * @param column the key's column
     * @param value  the value
     */
    record Entry(String key, int line, int column, YamlNode value) {
    }

    /**
     * A sequence.
     *
     * @param line   the line
     * @param column the column
     * @param items  the items
     */
    record Sequence(int line, int column, List<YamlNode> items) implements YamlNode {
        /** Copies the items. */
        public Sequence {
            items = java.util.Collections.unmodifiableList(new ArrayList<>(items));
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    /**
     * A scalar as written, with the type YAML gives it.
     *
     * @param line   the line
     * @param column the column
     * @param text   the text ("" for null)
     * @param kind   its type
     */
    record Scalar(int line, int column, String text, Kind kind) implements YamlNode {
        @Override
        public String describe() {
            return switch (kind) {
                case STRING -> "text '" + text + "'";
                case INTEGER, DECIMAL -> "the number " + text;
                case BOOLEAN -> "the boolean " + text;
                case NULL -> "no value";
            };
        }
    }

    /** The type of a scalar. */
    enum Kind {
        /** Text, quoted or not. */
        STRING,
        /** A whole number. */
        INTEGER,
        /** A number with a fraction or exponent. */
        DECIMAL,
        /** true or false. */
        BOOLEAN,
        /** An empty value or {@code null}. */
        NULL
    }
}
