package io.wsgate.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An immutable, ordered list of HTTP header fields whose names compare case-insensitively.
 *
 * <p>A name may occur more than once; {@link #all(String)} returns every value in order.
 * Names keep the spelling they were given. Changes return a new instance:
 * <pre>{@code
 * Headers h = Headers.of("Authorization", "Bearer x").with("X-Tenant", "a").without("Cookie");
 * }</pre>
 */
public final class Headers {

    private static final Headers EMPTY = new Headers(List.of());

    private final List<Field> fields;

    private Headers(List<Field> fields) {
        this.fields = fields;
    }

    /**
     * One header field: a name and its value, checked once here, where every {@link Headers} is built: the name is
     * an RFC 7230 token, the value holds no CR, LF or NUL (obs-text and tabs are legal), so that no field can split
     * a request or a response head.
     *
     * @param name  the name: letters, digits and {@code !#$%&'*+-.^_`|~}
     * @param value the value; may be empty
     */
    public record Field(String name, String value) {
        /**
         * Checks the field.
         *
         * @throws NullPointerException     when the name or value is null
         * @throws IllegalArgumentException naming the header when the name is not a token or the value holds CR, LF or NUL
         */
        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("header name is empty");
            }
            for (int i = 0; i < name.length(); i++) {
                if (!isTokenChar(name.charAt(i))) {
                    throw new IllegalArgumentException("header name '" + printable(name) + "' is not a token (RFC 7230):"
                            + " character " + (i + 1) + " may not stand in a name; use letters, digits and !#$%&'*+-.^_`|~");
                }
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\r' || c == '\n' || c == 0) {
                    throw new IllegalArgumentException("header '" + name + "' has a value holding CR or LF or NUL"
                            + " (at character " + (i + 1) + "), which would split the message head");
                }
            }
        }

        private static boolean isTokenChar(char c) {
            return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        }

        /** A name as a message may show it: control and non-ASCII characters escaped. */
        private static String printable(String s) {
            StringBuilder b = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x20 || c >= 0x7f) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
            return b.toString();
        }
    }

    /**
     * Splits a header value that is a comma-separated list (RFC 7230 §7: {@code Connection: keep-alive, Upgrade})
     * into its elements: trimmed, empty ones dropped, commas inside a quoted string kept.
     *
     * @param value a header value
     * @return its elements, in order
     */
    public static List<String> listElements(String value) {
        List<String> out = new ArrayList<>(2);
        int start = 0;
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                addElement(out, value.substring(start, i));
                start = i + 1;
            }
        }
        addElement(out, value.substring(start));
        return out;
    }

    private static void addElement(List<String> out, String element) {
        String e = element.trim();
        if (!e.isEmpty()) {
            out.add(e);
        }
    }

    /**
     * @param list a comma-separated header value
     * @param token a token, any case
     * @return true when one of the value's elements is that token, ignoring case
     */
    public static boolean listContains(String list, String token) {
        for (String e : listElements(list)) {
            if (e.equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    /** @return headers with no field */
    public static Headers empty() {
        return EMPTY;
    }

    /**
     * @param nameValuePairs names and values, alternating
     * @return headers holding those fields in order
     * @throws IllegalArgumentException when an odd number of strings is given
     */
    public static Headers of(String... nameValuePairs) {
        if (nameValuePairs.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must alternate; got " + nameValuePairs.length + " strings");
        }
        List<Field> list = new ArrayList<>(nameValuePairs.length / 2);
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            list.add(new Field(nameValuePairs[i], nameValuePairs[i + 1]));
        }
        return new Headers(List.copyOf(list));
    }

    /**
     * @param fields the fields, in order
     * @return headers holding a copy of those fields
     */
    public static Headers of(List<Field> fields) {
        return fields.isEmpty() ? EMPTY : new Headers(List.copyOf(fields));
    }

    /** @return a builder for headers */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder that starts with these fields */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.fields.addAll(fields);
        return b;
    }

    /** @return every field, in order */
    public List<Field> fields() {
        return fields;
    }

    /** @return the number of fields */
    public int size() {
        return fields.size();
    }

    /** @return true when there is no field */
    public boolean isEmpty() {
        return fields.isEmpty();
    }

    /**
     * @param name a header name, any case
     * @return the first value of that header
     */
    public Optional<String> first(String name) {
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                return Optional.of(f.value());
            }
        }
        return Optional.empty();
    }

    /**
     * @param name a header name, any case
     * @return every value of that header, in order; empty when it is absent
     */
    public List<String> all(String name) {
        List<String> values = null;
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                if (values == null) {
                    values = new ArrayList<>(2);
                }
                values.add(f.value());
            }
        }
        return values == null ? List.of() : Collections.unmodifiableList(values);
    }

    /**
     * @param name a header name, any case
     * @return true when at least one field has that name
     */
    public boolean contains(String name) {
        return first(name).isPresent();
    }

    /**
     * @param name a header name, any case
     * @return the elements of every value of that header, in order: {@code Connection: keep-alive, Upgrade} gives
     *         {@code keep-alive} and {@code Upgrade}
     */
    public List<String> elements(String name) {
        List<String> out = new ArrayList<>(2);
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                out.addAll(listElements(f.value()));
            }
        }
        return out;
    }

    /**
     * @param name  a header name, any case
     * @param token a token, any case
     * @return true when a value of that header lists that token, e.g. {@code hasToken("Connection", "upgrade")}
     */
    public boolean hasToken(String name, String token) {
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name) && listContains(f.value(), token)) {
                return true;
            }
        }
        return false;
    }

    /** @return the distinct names, in lower case, in order of first appearance */
    public Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        for (Field f : fields) {
            names.add(f.name().toLowerCase(Locale.ROOT));
        }
        return Collections.unmodifiableSet(names);
    }

    /** @param action called with the name and value of every field, in order */
    public void forEach(BiConsumer<String, String> action) {
        for (Field f : fields) {
            action.accept(f.name(), f.value());
        }
    }

    /**
     * @return these headers with every field of that name replaced by one field holding the value
     */
    public Headers with(String name, String value) {
        return toBuilder().set(name, value).build();
    }

    /** @return these headers with one more field added at the end */
    public Headers plus(String name, String value) {
        return toBuilder().add(name, value).build();
    }

    /** @return these headers without any field of that name */
    public Headers without(String name) {
        return toBuilder().remove(name).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Headers h && h.fields.equals(fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    /** Names only: header values may hold credentials and are never printed. */
    @Override
    public String toString() {
        return "Headers" + names();
    }

    /** Builds {@link Headers}; not thread-safe. */
    public static final class Builder {
        private final List<Field> fields = new ArrayList<>();

        private Builder() {
        }

        /** Adds a field at the end. */
        public Builder add(String name, String value) {
            fields.add(new Field(name, value));
            return this;
        }

        /** Replaces every field of that name by one field, placed where the first one stood (or at the end). */
        public Builder set(String name, String value) {
            Field field = new Field(name, value);
            int at = -1;
            for (int i = 0; i < fields.size(); i++) {
                if (fields.get(i).name().equalsIgnoreCase(name)) {
                    at = i;
                    break;
                }
            }
            remove(name);
            if (at < 0 || at > fields.size()) {
                fields.add(field);
            } else {
                fields.add(at, field);
            }
            return this;
        }

        /** Removes every field of that name. */
        public Builder remove(String name) {
            fields.removeIf(f -> f.name().equalsIgnoreCase(name));
            return this;
        }

        /** @return the headers built so far */
        public Headers build() {
            return Headers.of(fields);
        }
    }
}
