package io.wsgate.bench.driver;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and what the driver sends.
 *
 * @param uri         the WebSocket URL (ws://)
 * @param text        text messages when true, binary otherwise
 * @param bearerToken sent as {@code Authorization: Bearer} on every handshake when present
 */
public record LoadTarget(URI uri, boolean text, Optional<String> bearerToken) {

    /** Checks the fields. */
    public LoadTarget {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(bearerToken, "bearerToken");
        if (!"ws".equals(uri.getScheme())) {
            throw new IllegalArgumentException("only ws:// URLs are supported, got " + uri);
        }
    }

    /** @return this target with a token on every handshake */
    public LoadTarget withToken(String token) {
        return new LoadTarget(uri, text, Optional.of(token));
    }
}
