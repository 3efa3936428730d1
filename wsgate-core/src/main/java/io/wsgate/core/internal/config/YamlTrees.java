package io.wsgate.core.internal.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.wsgate.core.config.GatewayFileException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one YAML document with Jackson's streaming YAML parser into {@link YamlNode}s that keep their line and
 * column, refusing duplicate keys and a second document.
 */
public final class YamlTrees {

    private static final Logger LOG = LoggerFactory.getLogger(YamlTrees.class);
    private static final YAMLFactory YAML = YAMLFactory.builder().build();

    private YamlTrees() {
    }

    /**
     * @param reader the document
     * @param source the file's name, for messages
     * @return the root node
     * @throws GatewayFileException on a YAML syntax error, a duplicate key, an empty file or a second document
     * @throws IOException          when the reader fails
     */
    public static YamlNode parse(Reader reader, String source) throws IOException {
        try (JsonParser p = YAML.createParser(reader)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw GatewayFileException.of(source, 1, 1, "", "the file is empty: it must hold a map with 'apis' at least");
            }
            YamlNode root = value(p, first, source, "");
            JsonToken more = p.nextToken();
            if (more != null) {
                JsonLocation at = p.currentTokenLocation();
                throw GatewayFileException.of(source, line(at), column(at), "",
                        "the file holds more than one YAML document: keep one");
            }
            LOG.debug("{}: read", source);
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String message = String.join("; ", e.getOriginalMessage().lines()
                    .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))).toList());
            throw GatewayFileException.of(source, at == null ? 1 : line(at), at == null ? 1 : column(at), "",
                    "not valid YAML: " + message);
        }
    }

    private static YamlNode value(JsonParser p, JsonToken t, String source, String path) throws IOException {
        JsonLocation at = p.currentTokenLocation();
        int line = line(at);
        int column = column(at);
        switch (t) {
            case START_OBJECT -> {
                Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
                JsonToken next;
                while ((next = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonLocation keyAt = p.currentTokenLocation();
                    String keyPath = path.isEmpty() ? key : path + "." + key;
                    if (entries.containsKey(key)) {
                        throw GatewayFileException.of(source, line(keyAt), column(keyAt), keyPath,
                                "the key is given twice in this map (first on line " + entries.get(key).line() + ")");
                    }
                    YamlNode v = value(p, p.nextToken(), source, keyPath);
                    entries.put(key, new YamlNode.Entry(key, line(keyAt), column(keyAt), v));
                }
                if (next != JsonToken.END_OBJECT) {
                    throw GatewayFileException.of(source, line, column, path, "the map does not end");
                }
                return new YamlNode.Mapping(line, column, entries);
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                JsonToken next;
                while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (next == null) {
                        throw GatewayFileException.of(source, line, column, path, "the list does not end");
                    }
                    items.add(value(p, next, source, path + "[" + items.size() + "]"));
                }
                return new YamlNode.Sequence(line, column, items);
            }
            case VALUE_STRING -> {
                return new YamlNode.Scalar(line, column, p.getText(), YamlNode.Kind.STRING);
            }
            case VALUE_NUMBER_INT -> {
                return new YamlNode.Scalar(line, column, p.getText(), YamlNode.Kind.INTEGER);
            }
            case VALUE_NUMBER_FLOAT -> {
                return new YamlNode.Scalar(line, column, p.getText(), YamlNode.Kind.DECIMAL);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new YamlNode.Scalar(line, column, t == JsonToken.VALUE_TRUE ? "true" : "false", YamlNode.Kind.BOOLEAN);
            }
            case VALUE_NULL -> {
                return new YamlNode.Scalar(line, column, "", YamlNode.Kind.NULL);
            }
            default -> throw GatewayFileException.of(source, line, column, path,
                    "a value of a kind wsgate does not read (" + t + "): write text, a number, a boolean, a list or a map");
        }
    }

    private static int line(JsonLocation at) {
        return Math.max(1, at.getLineNr());
    }

    private static int column(JsonLocation at) {
        return Math.max(1, at.getColumnNr());
    }
}
