package io.wsgate.jetty.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** JSON objects as the admin and console handlers answer them, written with Jackson's streaming generator. */
public final class JsonBodies {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private JsonBodies() {
    }

    /** Writes an object's fields. */
    @FunctionalInterface
    public interface Fields {
        /**
         * @param g the generator, inside the object
         * @throws IOException never, for a string target
         */
        void write(JsonGenerator g) throws IOException;
    }

    /**
     * @param fields writes the object's fields
     * @return the object as JSON text
     */
    public static String object(Fields fields) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /**
     * @param status  the HTTP status
     * @param message what went wrong
     * @return an error body: {@code {"status":...,"message":...}}
     */
    public static String error(int status, String message) {
        return object(g -> {
            g.writeNumberField("status", status);
            g.writeStringField("message", message);
        });
    }
}
