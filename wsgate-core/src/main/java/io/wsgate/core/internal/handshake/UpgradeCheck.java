package io.wsgate.core.internal.handshake;

import io.wsgate.api.Headers;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.error.GatewayError;

import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Checks a request against RFC 6455 section 4.2.1 before anything else runs: an upgrade to
 * {@code websocket} (else 426), by GET (else 405), with {@code Connection: Upgrade}, version 13
 * (else 426 naming 13) and a key that is 16 bytes of base64 (else 400).
 */
public final class UpgradeCheck {

    private UpgradeCheck() {
    }

    /**
     * @param request the client's request
     * @return the error to answer with, or empty when the upgrade is well-formed
     */
    public static Optional<GatewayError> check(HandshakeRequest request) {
        Headers h = request.headers();
        if (!h.hasToken("Upgrade", "websocket")) {
            return Optional.of(GatewayError.UPGRADE_REQUIRED);
        }
        if (!request.method().equals("GET")) {
            return Optional.of(GatewayError.METHOD_NOT_ALLOWED);
        }
        if (!h.hasToken("Connection", "upgrade")) {
            return Optional.of(GatewayError.BAD_HANDSHAKE);
        }
        List<String> versions = h.all("Sec-WebSocket-Version");
        if (versions.size() != 1 || !versions.get(0).trim().equals("13")) {
            return Optional.of(GatewayError.UNSUPPORTED_WEBSOCKET_VERSION);
        }
        List<String> keys = h.all("Sec-WebSocket-Key");
        if (keys.size() != 1 || !isValidKey(keys.get(0).trim())) {
            return Optional.of(GatewayError.BAD_HANDSHAKE);
        }
        return Optional.empty();
    }

    static boolean isValidKey(String key) {
        if (key.length() != 24) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

}
