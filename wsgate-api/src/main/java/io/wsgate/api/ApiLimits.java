package io.wsgate.api;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits of one API's connection pairs.
 *
 * <p>Defaults ({@link #ofDefaults()}): messages up to 1 MiB (bytes counted across fragments) and
 * frames up to the same size; a pair idle for 5 minutes in both directions is closed (pings
 * count as activity); the backend must answer the handshake within 10 seconds.
 *
 * @param maxMessageSize    the largest message, in bytes, counted across its fragments; beyond it the
 *                          sender gets close 1009 and the other side is closed too
 * @param maxFrameSize      the largest single frame, in bytes; beyond it the sender gets close 1009
 * @param idleTimeout       how long a pair may pass no frame in either direction before it is closed
 * @param handshakeTimeout  how long the backend may take to answer the gateway's handshake (then 504)
 */
public record ApiLimits(long maxMessageSize, long maxFrameSize, Duration idleTimeout,
                        Duration handshakeTimeout) {

    /** Default largest message: 1 MiB. */
    public static final long DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024;
    /** Default idle timeout: 5 minutes. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
    /** Default handshake timeout: 10 seconds. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private static final ApiLimits DEFAULTS = new ApiLimits(DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_MAX_MESSAGE_SIZE,
            DEFAULT_IDLE_TIMEOUT, DEFAULT_HANDSHAKE_TIMEOUT);

    /** Checks every limit and names the bad one. */
    public ApiLimits {
        if (maxMessageSize < 1) {
            throw new IllegalArgumentException("maxMessageSize must be at least 1 byte, got " + maxMessageSize);
        }
        if (maxFrameSize < 1) {
            throw new IllegalArgumentException("maxFrameSize must be at least 1 byte, got " + maxFrameSize);
        }
        requirePositive("idleTimeout", idleTimeout);
        requirePositive("handshakeTimeout", handshakeTimeout);
    }

    private static void requirePositive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    /** @return the default limits */
    public static ApiLimits ofDefaults() {
        return DEFAULTS;
    }

    /** @return these limits with another largest message; the largest frame follows when it was equal */
    public ApiLimits withMaxMessageSize(long bytes) {
        long frame = maxFrameSize == maxMessageSize ? bytes : Math.min(maxFrameSize, bytes);
        return new ApiLimits(bytes, frame, idleTimeout, handshakeTimeout);
    }

    /** @return these limits with another largest frame */
    public ApiLimits withMaxFrameSize(long bytes) {
        return new ApiLimits(maxMessageSize, bytes, idleTimeout, handshakeTimeout);
    }

    /** @return these limits with another idle timeout */
    public ApiLimits withIdleTimeout(Duration timeout) {
        return new ApiLimits(maxMessageSize, maxFrameSize, timeout, handshakeTimeout);
    }

    /** @return these limits with another handshake timeout */
    public ApiLimits withHandshakeTimeout(Duration timeout) {
        return new ApiLimits(maxMessageSize, maxFrameSize, idleTimeout, timeout);
    }
}
