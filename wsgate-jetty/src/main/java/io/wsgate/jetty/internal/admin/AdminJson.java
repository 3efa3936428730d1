package io.wsgate.jetty.internal.admin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.wsgate.api.ConnectionPair;
import io.wsgate.api.Direction;
import io.wsgate.jetty.WsGateAdmin;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Optional;

/** The admin endpoints' JSON bodies, written with Jackson's streaming generator. */
public final class AdminJson {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private AdminJson() {
    }

    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String object(Body body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /**
     * @param draining   true once a drain began
     * @param pairs      the live pairs
     * @param pending    the pending handshakes
     * @param lastReload the last reload, if the gateway reloads a file and one happened
     * @return the body of {@code /health}
     */
    public static String health(boolean draining, int pairs, int pending, Optional<WsGateAdmin.Reload> lastReload) {
        return object(g -> {
            g.writeStringField("status", draining ? "DRAINING" : "UP");
            g.writeNumberField("pairs", pairs);
            g.writeNumberField("pendingHandshakes", pending);
            if (lastReload.isPresent()) {
                WsGateAdmin.Reload r = lastReload.get();
                g.writeStringField("lastReload", r.applied() ? r.outcome() + " at " + r.at() : r.outcome() + ": " + r.message());
            }
        });
    }

    /**
     * @param page a page of pairs
     * @return the body of {@code /pairs}
     */
    public static String pairs(PairsPage page) {
        return object(g -> {
            g.writeNumberField("total", page.total());
            g.writeNumberField("offset", page.offset());
            g.writeNumberField("limit", page.limit());
            g.writeArrayFieldStart("pairs");
            for (ConnectionPair pair : page.pairs()) {
                g.writeStartObject();
                g.writeStringField("id", pair.id());
                g.writeStringField("api", pair.api().name());
                InetSocketAddress client = pair.request().clientAddress();
                g.writeStringField("client", client.getHostString() + ":" + client.getPort());
                g.writeStringField("openedAt", pair.openedAt().toString());
                counts(g, "inbound", pair, Direction.CLIENT_TO_BACKEND);
                counts(g, "outbound", pair, Direction.BACKEND_TO_CLIENT);
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    private static void counts(JsonGenerator g, String name, ConnectionPair pair, Direction direction) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeNumberField("messages", pair.messages(direction));
        g.writeNumberField("bytes", pair.bytes(direction));
        g.writeEndObject();
    }

    /**
     * @param reload a reload's outcome
     * @return the body of {@code /reload}
     */
    public static String reload(WsGateAdmin.Reload reload) {
        return object(g -> {
            g.writeStringField("outcome", reload.outcome());
            g.writeStringField("message", reload.message());
            g.writeStringField("at", reload.at());
        });
    }

    /**
     * @param status  the HTTP status
     * @param message what went wrong
     * @return an error body
     */
    public static String error(int status, String message) {
        return object(g -> {
            g.writeNumberField("status", status);
            g.writeStringField("message", message);
        });
    }
}
