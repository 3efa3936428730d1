package io.wsgate.jetty.internal;

import io.wsgate.core.transport.HandshakeRules;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;

/**
 * The headers of the 101 that upgrades a client (RFC 6455 §4.2.2), in one place for the Handler and the
 * Servlet (on Jetty's response, whose generator writes them) and for the dedicated connector (which writes
 * the bytes itself): {@code Upgrade: websocket}, {@code Connection: Upgrade}, {@code Sec-WebSocket-Accept},
 * and {@code Sec-WebSocket-Protocol} when the backend chose a subprotocol. Never an extension: frames are
 * relayed as they come.
 */
public final class SwitchingProtocols {

    private static final HttpField UPGRADE = new PreEncodedHttpField(HttpHeader.UPGRADE, "websocket");
    private static final HttpField CONNECTION = new PreEncodedHttpField(HttpHeader.CONNECTION, HttpHeader.UPGRADE.asString());

    private SwitchingProtocols() {
    }

    /**
     * Adds the 101's headers.
     *
     * @param headers     where to add them
     * @param key         the client's {@code Sec-WebSocket-Key}, checked by the gateway
     * @param subprotocol the subprotocol the backend chose; empty for none
     */
    public static void addTo(HttpFields.Mutable headers, String key, String subprotocol) {
        headers.add(UPGRADE);
        headers.add(CONNECTION);
        headers.add(HttpHeader.SEC_WEBSOCKET_ACCEPT, HandshakeRules.acceptFor(key));
        if (!subprotocol.isEmpty()) {
            headers.add(HttpHeader.SEC_WEBSOCKET_SUBPROTOCOL, subprotocol);
        }
    }
}
