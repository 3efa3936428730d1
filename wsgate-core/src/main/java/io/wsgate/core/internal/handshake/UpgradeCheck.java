package io.wsgate.core.internal.handshake;

import io.wsgate.api.HandshakeRequest;
import io.wsgate.api.Headers;
import io.wsgate.core.error.GatewayError;
import io.wsgate.core.transport.HandshakeRules;

import java.util.List;
import java.util.Optional;

/**
 * Checks a request against RFC 6455 section 4.2.1 before anything else runs: an upgrade to
 * {@code websocket} (else 426), by GET (else 405), on HTTP/1.1 or as RFC 8441's HTTP/2 equivalent (else
 * 400: an HTTP/1.0 request cannot be upgraded), with {@code Connection: Upgrade}, version 13 (else 426
 * naming 13) and a key that is 16 bytes of base64 (else 400). It is the one check that decides: a request
 * it accepts is one every transport can upgrade, so no backend is ever connected for a client that the
 * transport would then refuse.
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
        String version = request.httpVersion();
        if (!version.equals(HandshakeRequest.HTTP_1_1) && !version.equals(HandshakeRequest.HTTP_2)) {
            return Optional.of(GatewayError.BAD_HANDSHAKE);
        }
        if (!h.hasToken("Connection", "upgrade")) {
            return Optional.of(GatewayError.BAD_HANDSHAKE);
        }
        List<String> versions = h.all("Sec-WebSocket-Version");
        if (versions.size() != 1 || !versions.get(0).trim().equals(HandshakeRules.VERSION)) {
            return Optional.of(GatewayError.UNSUPPORTED_WEBSOCKET_VERSION);
        }
        List<String> keys = h.all("Sec-WebSocket-Key");
        if (keys.size() != 1 || !HandshakeRules.isValidKey(keys.get(0).trim())) {
            return Optional.of(GatewayError.BAD_HANDSHAKE);
        }
        return Optional.empty();
    }

}
