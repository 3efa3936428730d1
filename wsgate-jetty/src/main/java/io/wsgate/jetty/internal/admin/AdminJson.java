package io.wsgate.jetty.internal.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import io.wsgate.api.ConnectionPair;
import io.wsgate.api.Direction;
import io.wsgate.core.ReloadResult;
import io.wsgate.jetty.internal.json.JsonBodies;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;

/** The admin endpoints' JSON bodies, written with Jackson's streaming generator. */
public final class AdminJson {

    private AdminJson() {
    }

    /**
     * @param draining   true once a drain began
     * @param pairs      the live pairs
     * @param pending    the pending handshakes
     * @param lastReload the last reload, if the gateway reloads a file and one happened
     * @return the body of {@code /health}
     */
    public static String health(boolean draining, int pairs, int pending, Optional<ReloadResult> lastReload) {
        return JsonBodies.object(g -> {
            g.writeStringField("status", draining ? "DRAINING" : "UP");
            g.writeNumberField("pairs", pairs);
            g.writeNumberField("pendingHandshakes", pending);
            if (lastReload.isPresent()) {
                ReloadResult r = lastReload.get();
                g.writeStringField("lastReload", r.failed() ? r.describe() : r.describe() + " at " + r.at());
            }
        });
    }

    /**
     * @param page a page of pairs
     * @return the body of {@code /pairs}
     */
    public static String pairs(PairsPage page) {
        return JsonBodies.object(g -> {
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
    public static String reload(ReloadResult reload) {
        return JsonBodies.object(g -> {
            g.writeStringField("outcome", reload.outcomeTag());
            g.writeStringField("message", reload.message());
            g.writeStringField("at", reload.at().toString());
        });
    }

    /**
     * @param status  the HTTP status
     * @param message what went wrong
     * @return an error body
     */
    public static String error(int status, String message) {
        return JsonBodies.error(status, message);
    }
}
