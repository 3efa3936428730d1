package io.wsgate.core.internal.observe;

import io.wsgate.api.ConnectionPair;
import io.wsgate.api.Direction;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.PairEnd;
import io.wsgate.core.policy.ProductSelection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;

/**
 * Writes one line per connection on the SLF4J logger {@value #LOGGER_NAME} at INFO, as
 * space-separated {@code key=value} fields (values with spaces are quoted): one for every
 * refused handshake and one for every pair when it ends (who ended it, why, and the close code each
 * side got from the gateway, 1006 for none). The connection id is in the MDC under
 * {@value #MDC_CONNECTION_ID} while the line is written. Query strings are never logged (they
 * may hold tokens).
 */
public final class AccessLog {

    /** The logger's name. */
    public static final String LOGGER_NAME = "wsgate.access";
    /** The MDC key of the connection id. */
    public static final String MDC_CONNECTION_ID = "wsgate.connectionId";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER_NAME);

    private AccessLog() {
    }

    /**
     * Logs a refused handshake.
     *
     * @param time            when it was refused
     * @param requestId       the handshake's id
     * @param api             the API's name, or "-" when none matched
     * @param request         the client's request
     * @param status          the HTTP status sent
     * @param errorCode       the error code sent
     * @param handshakeMillis request to response
     */
    public static void refused(Instant time, String requestId, String api, HandshakeRequest request, int status,
                               String errorCode, long handshakeMillis) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        MDC.put(MDC_CONNECTION_ID, requestId);
        try {
            LOG.info("time={} requestId={} api={} client={} path={} status={} error={} handshakeMs={}",
                    time, requestId, api, address(request.clientAddress()), quote(request.path()), status, errorCode,
                    handshakeMillis);
        } finally {
            MDC.remove(MDC_CONNECTION_ID);
        }
    }

    /**
     * Logs an ended pair.
     *
     * @param time            when it ended
     * @param pair            the pair, its counters final
     * @param handshakeMillis request to 101
     * @param end             how it ended
     */
    public static void pair(Instant time, ConnectionPair pair, long handshakeMillis, PairEnd end) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        MDC.put(MDC_CONNECTION_ID, pair.id());
        try {
            Object[] fields = {
                time, pair.requestId(), pair.id(), pair.api().name(),
                pair.attributes().getOrDefault(ProductSelection.PRODUCT_ATTRIBUTE, "-"), address(pair.request().clientAddress()),
                quote(pair.request().path()), pair.subprotocol().isEmpty() ? "-" : quote(pair.subprotocol()),
                withoutQuery(pair.backendUri()), handshakeMillis, end.durationMillis(),
                pair.messages(Direction.CLIENT_TO_BACKEND), pair.bytes(Direction.CLIENT_TO_BACKEND),
                pair.messages(Direction.BACKEND_TO_CLIENT), pair.bytes(Direction.BACKEND_TO_CLIENT),
                end.closeCode(), end.closedBy(), end.cause(), end.closeReason().isEmpty() ? "-" : quote(end.closeReason()),
                end.clientGot().code(), end.backendGot().code()
            };
            LOG.info("time={} requestId={} connectionId={} api={} product={} client={} path={} status=101 subprotocol={} backend={} "
                    + "handshakeMs={} durationMs={} messagesIn={} bytesIn={} messagesOut={} bytesOut={} closeCode={} "
                    + "closedBy={} closeCause={} closeReason={} clientCloseCode={} backendCloseCode={}", fields);
        } finally {
            MDC.remove(MDC_CONNECTION_ID);
        }
    }

    private static String address(InetSocketAddress a) {
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + a.getPort() : host + ":" + a.getPort();
    }

    private static String withoutQuery(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    static String quote(String value) {
        if (value.isEmpty()) {
            return "\"\"";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c >= 0x7f) {
                StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
                for (int j = 0; j < value.length(); j++) {
                    char d = value.charAt(j);
                    if (d == '"' || d == '\\') {
                        sb.append('\\').append(d);
                    } else if (d < ' ' || d == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) d));
                    } else {
                        sb.append(d);
                    }
                }
                return sb.append('"').toString();
            }
        }
        return value;
    }
}
