package io.wsgate.jetty.internal.console;

import io.wsgate.api.HandshakeRequest;
import io.wsgate.api.Headers;
import io.wsgate.core.transport.HandshakeRules;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The handshake a console page asks to diagnose, as its browser would have sent it: the form's path (below the
 * gateway's mount), raw query, offered subprotocols and scheme, with the headers the browser sent the console
 * itself ({@code Origin}, {@code Cookie}, {@code User-Agent}: the page is served from the origin its WebSockets
 * come from) and the upgrade headers a browser adds.
 *
 * @param request     the handshake
 * @param pathInMount the path below the gateway's mount point
 */
public record DiagnosedHandshake(HandshakeRequest request, String pathInMount) {

    /** The browser headers copied from the console's request. */
    private static final List<String> COPIED = List.of("Origin", "Cookie", "User-Agent", "Accept-Language");

    /**
     * @param console   the console's request (a form POST)
     * @param form      its fields: {@code path}, {@code query}, {@code subprotocol} (repeated), {@code secure}
     * @param mountPath the gateway's mount path ("" for the root)
     * @return the handshake, or empty when the path is not one ('/' first, no query, no fragment, no space)
     */
    public static Optional<DiagnosedHandshake> from(Request console, Fields form, String mountPath) {
        String path = value(form, "path");
        if (path.isEmpty()) {
            path = "/";
        }
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c == '?' || c == '#' || c >= 0x7f)) {
            return Optional.empty();
        }
        String query = value(form, "query");
        if (query.startsWith("?")) {
            query = query.substring(1);
        }
        List<String> offered = new ArrayList<>();
        Fields.Field protocols = form.get("subprotocol");
        if (protocols != null) {
            for (String p : protocols.getValues()) {
                if (!p.isBlank()) {
                    offered.add(p.trim());
                }
            }
        }
        Headers.Builder headers = Headers.builder();
        String host = console.getHttpURI().getAuthority();
        headers.add("Host", host == null ? "" : host);
        headers.add("Upgrade", "websocket");
        headers.add("Connection", "Upgrade");
        headers.add("Sec-WebSocket-Version", HandshakeRules.VERSION);
        headers.add("Sec-WebSocket-Key", HandshakeRules.newKey());
        if (!offered.isEmpty()) {
            headers.add("Sec-WebSocket-Protocol", String.join(", ", offered));
        }
        for (String name : COPIED) {
            for (String v : console.getHeaders().getValuesList(name)) {
                headers.add(name, v);
            }
        }
        boolean secure = "true".equals(value(form, "secure"));
        HandshakeRequest request = new HandshakeRequest("GET", mountPath + path, query, headers.build(),
                address(console.getConnectionMetaData().getRemoteSocketAddress()), secure, offered, HandshakeRequest.HTTP_1_1);
        return Optional.of(new DiagnosedHandshake(request, path));
    }

    private static String value(Fields form, String name) {
        String v = form.getValue(name);
        return v == null ? "" : v;
    }

    private static InetSocketAddress address(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet ? inet : new InetSocketAddress("0.0.0.0", 0);
    }

    /** @return the header a console page adds to its diagnose requests, so that no other site's form can post one */
    public static String guardHeader() {
        return "X-WsGate-Console";
    }
}
