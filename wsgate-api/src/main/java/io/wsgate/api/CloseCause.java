package io.wsgate.api;

/**
 * Why a connection pair ended, by category, beside {@link CloseInitiator who} ended it: what the
 * access log writes as {@code closeCause} and what listeners of pair events receive.
 *
 * <p>A side's own close ({@link CloseInitiator#CLIENT} or {@link CloseInitiator#BACKEND}) is
 * {@link #NORMAL}, {@link #DISCONNECTED} or {@link #FAILED}; the others are the gateway's decisions
 * ({@link CloseInitiator#GATEWAY}).
 */
public enum CloseCause {
    /** A side sent a close frame: the pair ended as the protocol intends; its code says why. */
    NORMAL,
    /** A side's connection dropped without a close frame (TCP reset, end of stream, a failed write). */
    DISCONNECTED,
    /** A side's transport failed for another reason. */
    FAILED,
    /** A side broke the protocol (a bad frame, bad masking, a bad close frame): it got 1002. */
    PROTOCOL_ERROR,
    /** A side sent text, or a close reason, that is not UTF-8: it got 1007. */
    BAD_DATA,
    /** A side sent a frame or a message over the API's limit: it got 1009. */
    TOO_BIG,
    /** Nothing crossed the pair for the API's idle timeout. */
    IDLE,
    /**
     * A leg answered nothing to the gateway's keepalive ping within the API's keepalive timeout: it was dropped,
     * and the other side got 1001 (a dead client) or 1011 (a dead backend).
     */
    KEEPALIVE,
    /** The pair reached the API's maximum lifetime: both sides got 1001. */
    LIFETIME,
    /** The token the pair was admitted on expired. */
    TOKEN_EXPIRED,
    /** The gateway was shut down (drained). */
    DRAINED,
    /** The application, or a policy, closed the pair ({@link ConnectionPair#close}). */
    APPLICATION,
    /**
     * A {@link MessagePolicy} closed the pair: its {@link MessageVerdict#close close} verdict (the frame's sender got
     * the policy's code, the other side 1001 or 1011), or it failed (threw, returned null, its stage failed, or it
     * broke a text message's UTF-8): both sides got 1011.
     */
    POLICY
}
