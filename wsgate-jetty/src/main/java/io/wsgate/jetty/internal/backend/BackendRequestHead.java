package io.wsgate.jetty.internal.backend;

import io.wsgate.api.BackendRequest;
import io.wsgate.core.transport.HandshakeRules;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The head of the gateway's upgrade request to a backend (RFC 6455 §4.1), written in one piece: the
 * request line for the URI the policies made, {@code Host}, the handshake's own headers, the offered
 * subprotocols, and the policies' headers except those that belong to one hop.
 */
final class BackendRequestHead {

    private BackendRequestHead() {
    }

    /**
     * The upgrade request's head, in ISO-8859-1 as HTTP/1.1 has it.
     *
     * @param request what the policies made of the backend request
     * @param key     the {@code Sec-WebSocket-Key} to send
     * @return the head, ready to write
     * @throws IllegalArgumentException if the URI is not ws or wss, a header name or subprotocol is not an HTTP
     *                                  token, or a header value holds a character HTTP cannot carry
     */
    static ByteBuffer of(BackendRequest request, String key) {
        URI uri = request.uri();
        if (!"ws".equalsIgnoreCase(uri.getScheme()) && !"wss".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("backend URI " + uri.getScheme() + "://" + uri.getRawAuthority()
                    + " is not ws:// or wss://");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("backend URI has no host");
        }
        StringBuilder b = new StringBuilder(256);
        String path = uri.getRawPath();
        b.append("GET ").append(path == null || path.isEmpty() ? "/" : path);
        if (uri.getRawQuery() != null) {
            b.append('?').append(uri.getRawQuery());
        }
        b.append(" HTTP/1.1\r\nHost: ").append(uri.getHost());
        int port = uri.getPort();
        if (port > 0 && port != defaultPort(uri)) {
            b.append(':').append(port);
        }
        b.append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ").append(key)
                .append("\r\nSec-WebSocket-Version: ").append(HandshakeRules.VERSION).append("\r\n");
        if (!request.subprotocols().isEmpty()) {
            for (String p : request.subprotocols()) {
                if (!isToken(p)) {
                    throw new IllegalArgumentException("subprotocol '" + p + "' is not an HTTP token (RFC 6455 §4.1)");
                }
            }
            b.append("Sec-WebSocket-Protocol: ").append(String.join(", ", request.subprotocols())).append("\r\n");
        }
        request.headers().forEach((name, value) -> {
            if (HandshakeRules.isHopByHop(name)) {
                // the handshake writes its own; a policy's header of such a name would contradict them
                return;
            }
            checkHeader(name, value);
            b.append(name).append(": ").append(value).append("\r\n");
        });
        b.append("\r\n");
        return ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** @return 443 for wss, 80 for ws */
    static int defaultPort(URI uri) {
        return "wss".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7F || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static void checkHeader(String name, String value) {
        if (!isToken(name)) {
            throw new IllegalArgumentException("header name '" + name + "' is not an HTTP token");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F || c > 0xFF) {
                throw new IllegalArgumentException("header '" + name + "' has a character HTTP cannot carry (U+"
                        + String.format(Locale.ROOT, "%04X", (int) c) + ")");
            }
        }
    }
}
