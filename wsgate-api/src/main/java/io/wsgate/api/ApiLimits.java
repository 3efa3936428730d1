package io.wsgate.api;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits of one API's connection pairs.
 *
 * <p>Defaults ({@link #ofDefaults()}): messages up to 1 MiB (bytes counted across fragments) and
 * frames up to the same size; a pair idle for 5 minutes in both directions is closed (pings
 * count as activity); the backend must answer the handshake within 10 seconds; no keepalive pings
 * and no maximum lifetime.
 *
 * <p><b>Keepalive</b> ({@link #withKeepAlive}): when a leg of a pair (the client's connection or the
 * backend's, each on its own) has sent nothing for {@code keepAliveInterval}, the gateway sends that leg a
 * ping of its own; if nothing at all arrives from it within {@code keepAliveTimeout} after, the leg is dead:
 * it is dropped, and the other side gets 1001 (the client was dead) or 1011 (the backend was). The pongs
 * that answer the gateway's pings are never relayed; the peers' own pings and pongs are. The gateway's pings
 * and their pongs do not count as activity for the idle timeout.
 *
 * <p><b>Maximum lifetime</b> ({@link #withMaxLifetime}): a pair is closed with 1001 once it has lived this
 * long, less a random part of up to 10% of it, so that pairs opened together do not all close together.
 *
 * @param maxMessageSize    the largest message, in bytes, counted across its fragments; beyond it the
 *                          sender gets close 1009 and the other side is closed too
 * @param maxFrameSize      the largest single frame, in bytes; beyond it the sender gets close 1009
 * @param idleTimeout       how long a pair may pass no frame in either direction before it is closed
 * @param handshakeTimeout  how long the backend may take to answer the gateway's handshake (then 504)
 * @param keepAliveInterval how long a leg may send nothing before the gateway pings it; zero: no keepalive
 * @param keepAliveTimeout  how long after the gateway's ping something must arrive from that leg; zero
 *                          exactly when the interval is
 * @param maxLifetime       the longest a pair lives (less up to 10% of jitter); zero: no maximum
 */
public record ApiLimits(long maxMessageSize, long maxFrameSize, Duration idleTimeout,
                        Duration handshakeTimeout, Duration keepAliveInterval, Duration keepAliveTimeout,
                        Duration maxLifetime) {

    /** Default largest message: 1 MiB. */
    public static final long DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024;
    /** Default idle timeout: 5 minutes. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
    /** Default handshake timeout: 10 seconds. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private static final ApiLimits DEFAULTS = new ApiLimits(DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_MAX_MESSAGE_SIZE,
            DEFAULT_IDLE_TIMEOUT, DEFAULT_HANDSHAKE_TIMEOUT, Duration.ZERO, Duration.ZERO, Duration.ZERO);

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
        requireNotNegative("keepAliveInterval", keepAliveInterval);
        requireNotNegative("keepAliveTimeout", keepAliveTimeout);
        requireNotNegative("maxLifetime", maxLifetime);
        if (keepAliveInterval.isZero() != keepAliveTimeout.isZero()) {
            throw new IllegalArgumentException("keepAliveInterval and keepAliveTimeout must both be positive (keepalive on)"
                    + " or both zero (off), got " + keepAliveInterval + " and " + keepAliveTimeout);
        }
    }

    private static void requireNotNegative(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + d);
        }
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
        return new ApiLimits(bytes, frame, idleTimeout, handshakeTimeout, keepAliveInterval, keepAliveTimeout, maxLifetime);
    }

    /** @return these limits with another largest frame */
    public ApiLimits withMaxFrameSize(long bytes) {
        return new ApiLimits(maxMessageSize, bytes, idleTimeout, handshakeTimeout, keepAliveInterval, keepAliveTimeout,
                maxLifetime);
    }

    /** @return these limits with another idle timeout */
    public ApiLimits withIdleTimeout(Duration timeout) {
        return new ApiLimits(maxMessageSize, maxFrameSize, timeout, handshakeTimeout, keepAliveInterval, keepAliveTimeout,
                maxLifetime);
    }

    /** @return these limits with another handshake timeout */
    public ApiLimits withHandshakeTimeout(Duration timeout) {
        return new ApiLimits(maxMessageSize, maxFrameSize, idleTimeout, timeout, keepAliveInterval, keepAliveTimeout,
                maxLifetime);
    }

    /**
     * @param interval how long a leg may send nothing before the gateway pings it; positive
     * @param timeout  how long after that ping something must arrive from the leg before it is declared dead; positive
     * @return these limits with keepalive pings on
     */
    public ApiLimits withKeepAlive(Duration interval, Duration timeout) {
        requirePositive("keepAliveInterval", interval);
        requirePositive("keepAliveTimeout", timeout);
        return new ApiLimits(maxMessageSize, maxFrameSize, idleTimeout, handshakeTimeout, interval, timeout, maxLifetime);
    }

    /** @return these limits with keepalive pings off (the default) */
    public ApiLimits withoutKeepAlive() {
        return new ApiLimits(maxMessageSize, maxFrameSize, idleTimeout, handshakeTimeout, Duration.ZERO, Duration.ZERO,
                maxLifetime);
    }

    /**
     * @param lifetime the longest a pair lives before the gateway closes it with 1001 (less up to 10% of jitter); positive
     * @return these limits with a maximum pair lifetime
     */
    public ApiLimits withMaxLifetime(Duration lifetime) {
        requirePositive("maxLifetime", lifetime);
        return new ApiLimits(maxMessageSize, maxFrameSize, idleTimeout, handshakeTimeout, keepAliveInterval,
                keepAliveTimeout, lifetime);
    }

    /** @return these limits with no maximum pair lifetime (the default) */
    public ApiLimits withoutMaxLifetime() {
        return new ApiLimits(maxMessageSize, maxFrameSize, idleTimeout, handshakeTimeout, keepAliveInterval,
                keepAliveTimeout, Duration.ZERO);
    }

    /** @return true when the gateway pings quiet legs ({@link #withKeepAlive}) */
    public boolean hasKeepAlive() {
        return !keepAliveInterval.isZero();
    }

    /** @return true when pairs have a maximum lifetime ({@link #withMaxLifetime}) */
    public boolean hasMaxLifetime() {
        return !maxLifetime.isZero();
    }
}
