package io.wsgate.api;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A WebSocket close status: a code and a reason, with the protocol's close codes and the rules for
 * them in one place (RFC 6455 §7.4). Received from a peer, sent by the gateway, or reported when a
 * connection ended without one ({@link #ABNORMAL}).
 *
 * <p>Made by the relay when a pair ends (for the access log and listeners); callable from any thread.
 *
 * @param code   the close code, 1000 to 4999
 * @param reason the reason, empty when none; at most {@value #MAX_REASON_BYTES} bytes of UTF-8
 */
public record CloseStatus(int code, String reason) {

    /** 1000: the purpose of the connection is fulfilled. */
    public static final int NORMAL = 1000;
    /** 1001: an endpoint is going away (a client leaving, a server shutting down, an idle timeout). */
    public static final int GOING_AWAY = 1001;
    /** 1002: an endpoint broke the protocol. */
    public static final int PROTOCOL_ERROR = 1002;
    /** 1003: an endpoint received a type of data it cannot accept. */
    public static final int UNSUPPORTED_DATA = 1003;
    /** 1005: a close frame without a code; never sent in a close frame. */
    public static final int NO_STATUS = 1005;
    /** 1006: the connection ended without a close frame; never sent in a close frame. */
    public static final int ABNORMAL = 1006;
    /** 1007: text that is not UTF-8 (or data inconsistent with the message type). */
    public static final int BAD_DATA = 1007;
    /** 1008: a message that violates a policy (an expired token, for instance). */
    public static final int POLICY_VIOLATION = 1008;
    /** 1009: a frame or message too big to process. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** 1010: the client expected an extension the server did not negotiate. */
    public static final int MANDATORY_EXTENSION = 1010;
    /** 1011: the server met an unexpected condition (the gateway's code for a failed backend). */
    public static final int INTERNAL_ERROR = 1011;
    /** 1015: the TLS handshake failed; never sent in a close frame. */
    public static final int TLS_HANDSHAKE = 1015;

    /** The most bytes of UTF-8 a reason may have: a control frame's 125 bytes less the code's two. */
    public static final int MAX_REASON_BYTES = 123;

    /** Checks the code's range and the reason's length. */
    public CloseStatus {
        if (code < 1000 || code > 4999) {
            throw new IllegalArgumentException("close code " + code + " is outside 1000-4999");
        }
        Objects.requireNonNull(reason, "reason");
        int bytes = reason.length() * 3 <= MAX_REASON_BYTES ? 0 : reason.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_REASON_BYTES) {
            throw new IllegalArgumentException("close reason of " + bytes + " bytes of UTF-8, over " + MAX_REASON_BYTES);
        }
    }

    /**
     * @param code   the close code, 1000 to 4999
     * @param reason the reason, at most {@value #MAX_REASON_BYTES} bytes of UTF-8
     * @return the status
     * @throws IllegalArgumentException when the code is out of range or the reason too long
     */
    public static CloseStatus of(int code, String reason) {
        return new CloseStatus(code, reason);
    }

    /**
     * @param code   the close code, 1000 to 4999
     * @param reason any reason: cut to its longest prefix of whole characters that fits in
     *               {@value #MAX_REASON_BYTES} bytes of UTF-8
     * @return the status
     */
    public static CloseStatus truncating(int code, String reason) {
        return new CloseStatus(code, fittingReason(reason));
    }

    /**
     * @param reason any reason
     * @return its longest prefix of whole characters that fits in {@value #MAX_REASON_BYTES} bytes of UTF-8
     */
    public static String fittingReason(String reason) {
        if (reason.length() * 3 <= MAX_REASON_BYTES) {
            return reason;
        }
        byte[] utf8 = reason.getBytes(StandardCharsets.UTF_8);
        int n = fittingLength(utf8);
        return n == utf8.length ? reason : new String(utf8, 0, n, StandardCharsets.UTF_8);
    }

    /**
     * @param utf8 a reason in UTF-8
     * @return how many of its first bytes fit in a close frame without cutting a character in two
     */
    public static int fittingLength(byte[] utf8) {
        int n = Math.min(utf8.length, MAX_REASON_BYTES);
        while (n > 0 && n < utf8.length && (utf8[n] & 0xC0) == 0x80) {
            n--;
        }
        return n;
    }

    /**
     * Whether a close frame may carry this code on the wire, sent or received (RFC 6455 §7.4):
     * 1000–1003, 1007–1014 and 3000–4999. 1004 is reserved, and 1005, 1006 and 1015 only report
     * what happened locally.
     *
     * @param code a close code
     * @return true if a close frame may carry it
     */
    public static boolean isWireCode(int code) {
        return (code >= NORMAL && code <= UNSUPPORTED_DATA) || (code >= BAD_DATA && code <= 1014)
                || (code >= 3000 && code <= 4999);
    }

    /** @return true if a close frame may carry this status's code ({@link #isWireCode}) */
    public boolean isWire() {
        return isWireCode(code);
    }
}
