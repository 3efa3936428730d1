package io.wsgate.core;

import io.wsgate.api.HandshakeRequest;

import java.util.Map;

/**
 * Which subprotocol the gateway answers a client with: the one the backend chose; or, when the backend chose
 * none, the one a policy named in the attribute {@link #ATTRIBUTE}, provided the client offered it.
 *
 * <p>This is what lets a browser carry a token in a subprotocol. A browser that offers subprotocols refuses a
 * 101 that names none ("Sent non-empty 'Sec-WebSocket-Protocol' header but no response was received"), and a
 * policy that takes the token from a subprotocol removes it from the backend's offer, so a backend that speaks no
 * subprotocol chooses none. The client therefore offers a fixed marker beside the token
 * ({@code new WebSocket(url, ["wsgate.bearer", "bearer." + token])}); validate-jwt, configured with that marker
 * ({@link io.wsgate.core.policy.jwt.TokenSource#subprotocol(String, String)}), also keeps the marker away from the
 * backend and names it here, and the gateway answers with the marker. The token itself is never echoed.
 * A custom policy may set the attribute too.
 */
public final class ClientSubprotocol {

    /**
     * The attribute (a {@code String}) naming the subprotocol to answer the client with when the backend chose none;
     * ignored unless the client offered it.
     */
    public static final String ATTRIBUTE = "wsgate.clientSubprotocol";

    private ClientSubprotocol() {
    }

    /**
     * Called by the gateway once the backend answered 101, on the thread that completed the backend handshake.
     *
     * @param backendChoice the subprotocol the backend chose; empty for none
     * @param request       the client's request
     * @param attributes    the attributes the policies left
     * @return the subprotocol to answer the client with; empty for none
     */
    public static String answer(String backendChoice, HandshakeRequest request, Map<String, Object> attributes) {
        if (!backendChoice.isEmpty()) {
            return backendChoice;
        }
        Object named = attributes.get(ATTRIBUTE);
        if (named instanceof String marker && !marker.isEmpty() && request.offeredSubprotocols().contains(marker)) {
            return marker;
        }
        return "";
    }
}
