package io.wsgate.jetty.internal.backend;

import io.wsgate.api.Headers;
import io.wsgate.core.transport.BackendFailure;
import io.wsgate.core.transport.HandshakeRules;

import java.util.List;
import java.util.Objects;

/**
 * What a backend's answer to the gateway's upgrade request means, from its status and headers alone
 * (RFC 6455 §4.1, the client's checks): a valid 101 with the subprotocol it chose, or a failure. Pure:
 * no I/O, testable without sockets.
 */
final class BackendResponseCheck {

    private BackendResponseCheck() {
    }

    /** The verdict on one answer. */
    sealed interface Verdict {
    }

    /**
     * A valid 101.
     *
     * @param subprotocol the subprotocol the backend chose; empty for none
     */
    record Accepted(String subprotocol) implements Verdict {
        Accepted {
            Objects.requireNonNull(subprotocol, "subprotocol");
        }
    }

    /**
     * Not a valid 101: a refusal (another status) or an invalid handshake.
     *
     * @param failure why
     */
    record Failed(BackendFailure failure) implements Verdict {
        Failed {
            Objects.requireNonNull(failure, "failure");
        }
    }

    /**
     * @param status  the final (not interim) status of the answer
     * @param headers the answer's headers
     * @param key     the {@code Sec-WebSocket-Key} the gateway sent
     * @param offered the subprotocols the gateway offered
     * @return the verdict: a 101 must carry {@code Upgrade: websocket}, {@code Connection: Upgrade}, exactly
     *         one {@code Sec-WebSocket-Accept} matching the key, at most one subprotocol and one of those
     *         offered, and no extension (none is ever offered); another status is a refusal, whose headers
     *         go to the gateway (which lets only the safe ones reach the client)
     */
    static Verdict check(int status, Headers headers, String key, List<String> offered) {
        if (status != 101) {
            return new Failed(new BackendFailure.Refused(status, headers, ""));
        }
        for (String extensions : headers.all("Sec-WebSocket-Extensions")) {
            if (!extensions.isBlank()) {
                return invalid("the backend accepted an extension the gateway never offered: " + extensions.trim());
            }
        }
        List<String> upgrade = headers.all("Upgrade");
        if (upgrade.size() != 1 || !upgrade.get(0).trim().equalsIgnoreCase("websocket")) {
            return invalid("the backend's 101 has no Upgrade: websocket");
        }
        if (!hasToken(headers.all("Connection"), "upgrade")) {
            return invalid("the backend's 101 has no Connection: Upgrade");
        }
        List<String> accept = headers.all("Sec-WebSocket-Accept");
        if (accept.size() != 1 || !accept.get(0).trim().equals(HandshakeRules.acceptFor(key))) {
            return invalid("the backend's Sec-WebSocket-Accept does not match the key sent");
        }
        List<String> protocols = headers.all("Sec-WebSocket-Protocol");
        String subprotocol = protocols.isEmpty() ? "" : protocols.get(0).trim();
        if (protocols.size() > 1 || (protocols.size() == 1 && !offered.contains(subprotocol))) {
            return invalid("the backend chose a subprotocol the client never offered: " + String.join(", ", protocols));
        }
        return new Accepted(subprotocol);
    }

    private static Verdict invalid(String reason) {
        return new Failed(new BackendFailure.InvalidHandshake(reason));
    }

    private static boolean hasToken(List<String> values, String token) {
        for (String value : values) {
            for (String t : value.split(",")) {
                if (t.trim().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }
}
