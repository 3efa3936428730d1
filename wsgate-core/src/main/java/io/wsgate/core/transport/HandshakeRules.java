package io.wsgate.core.transport;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The rules of the WebSocket opening handshake (RFC 6455 §4) in one place, for the gateway's checks of a
 * client's request and for a transport's handshake with a backend (as OkHttp keeps them in
 * {@code WebSocketProtocol}): keys and their accept values, the headers that belong to one hop only, and
 * the backend response headers a refused client may see.
 */
public final class HandshakeRules {

    /** The only WebSocket version there is ({@code Sec-WebSocket-Version}). */
    public static final String VERSION = "13";

    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /**
     * Headers that never cross the gateway, in either direction: hop-by-hop fields (RFC 9110 §7.6.1) and
     * the WebSocket handshake's own, which each hop writes for itself.
     */
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "upgrade", "keep-alive", "te", "trailer", "transfer-encoding", "proxy-connection",
            "proxy-authorization", "proxy-authenticate", "host", "content-length",
            "sec-websocket-key", "sec-websocket-accept", "sec-websocket-version", "sec-websocket-extensions",
            "sec-websocket-protocol");

    /** Backend response headers a client may see when the backend refused the upgrade. */
    private static final Set<String> SAFE_BACKEND_HEADERS = Set.of("www-authenticate", "retry-after");

    private HandshakeRules() {
    }

    /**
     * @param name a header name, any case
     * @return true if the header belongs to one hop (or to the handshake itself) and is never forwarded
     */
    public static boolean isHopByHop(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return HOP_BY_HOP.contains(lower) || lower.startsWith("proxy-");
    }

    /**
     * @param name a backend response header name, any case
     * @return true if a client refused by the backend may see it ({@code WWW-Authenticate}, {@code Retry-After})
     */
    public static boolean isSafeBackendHeader(String name) {
        return SAFE_BACKEND_HEADERS.contains(name.toLowerCase(Locale.ROOT));
    }

    /** @return a fresh {@code Sec-WebSocket-Key}: 16 random bytes in base64 (§4.1) */
    public static String newKey() {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /**
     * @param key a {@code Sec-WebSocket-Key} value, trimmed
     * @return true if it is 16 bytes in base64 (§4.2.1)
     */
    public static boolean isValidKey(String key) {
        if (key.length() != 24) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * @param key a {@code Sec-WebSocket-Key}
     * @return the {@code Sec-WebSocket-Accept} a server must answer it with (§4.2.2)
     */
    public static String acceptFor(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return Base64.getEncoder().encodeToString(sha1.digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
    }
}
