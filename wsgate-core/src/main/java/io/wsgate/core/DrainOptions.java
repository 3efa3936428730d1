package io.wsgate.core;

import io.wsgate.api.CloseStatus;

import java.time.Duration;
import java.util.Objects;

/**
 * How a gateway drains ({@link Gateway#drain}): what a handshake refused meanwhile is told, how the pairs
 * are closed, and how long they may take to leave.
 *
 * <p>Defaults ({@link #ofDefaults()}): every pair is closed at once (no window) with 1001 "Gateway draining";
 * pairs still open 30 seconds later are aborted; a handshake refused meanwhile gets 503
 * {@code GATEWAY_DRAINING} with {@code Retry-After: 5}.
 *
 * <p>The window spreads the closes so that clients do not all reconnect in the same second: with a window of
 * {@code W} seconds (rounded up to whole seconds) the pairs open when the drain starts are closed in
 * {@code W} batches of {@code ceil(pairs / W)}, one batch each second, the first at once (a window of 30 s
 * closes a thirtieth of them each second; 10 pairs over 5 s, two each second). The timeout counts from the
 * last batch: a drain takes at most {@code window + timeout}.
 *
 * @param timeout     how long the pairs may take to leave after the last of them was closed; then those
 *                    left are aborted (both connections dropped without waiting for their close handshakes)
 * @param window      how long the closes are spread over; zero closes every pair at once
 * @param closeCode   the close code both sides of every pair get: 1001 (going away) by default, or e.g. 1012
 *                    (service restart); a code a close frame may carry
 * @param closeReason the close reason both sides get, at most 123 bytes of UTF-8
 * @param retryAfter  what the {@code Retry-After} header of a handshake refused during the drain says, in
 *                    seconds (rounded up)
 */
public record DrainOptions(Duration timeout, Duration window, int closeCode, String closeReason, Duration retryAfter) {

    /** Default timeout: 30 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** Default close reason. */
    public static final String DEFAULT_REASON = "Gateway draining";
    /** Default {@code Retry-After}: 5 seconds. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

    private static final DrainOptions DEFAULTS = new DrainOptions(DEFAULT_TIMEOUT, Duration.ZERO, CloseStatus.GOING_AWAY,
            DEFAULT_REASON, DEFAULT_RETRY_AFTER);

    /** Checks every field and names the bad one. */
    public DrainOptions {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("drain timeout must be positive, got " + timeout);
        }
        Objects.requireNonNull(window, "window");
        if (window.isNegative()) {
            throw new IllegalArgumentException("drain window must not be negative, got " + window);
        }
        if (!CloseStatus.isWireCode(closeCode)) {
            throw new IllegalArgumentException("drain close code " + closeCode
                    + " cannot be sent in a close frame: use 1001, 1012 or a code of 3000-4999");
        }
        Objects.requireNonNull(closeReason, "closeReason");
        CloseStatus.of(closeCode, closeReason); // checks the reason's length
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("drain retryAfter must not be negative, got " + retryAfter);
        }
    }

    /** @return the defaults */
    public static DrainOptions ofDefaults() {
        return DEFAULTS;
    }

    /** @return these options with another timeout (positive) */
    public DrainOptions withTimeout(Duration timeout) {
        return new DrainOptions(timeout, window, closeCode, closeReason, retryAfter);
    }

    /** @return these options with another window (zero: no spreading) */
    public DrainOptions withWindow(Duration window) {
        return new DrainOptions(timeout, window, closeCode, closeReason, retryAfter);
    }

    /** @return these options with another close code and reason */
    public DrainOptions withClose(int code, String reason) {
        return new DrainOptions(timeout, window, code, reason, retryAfter);
    }

    /** @return these options with another {@code Retry-After} */
    public DrainOptions withRetryAfter(Duration retryAfter) {
        return new DrainOptions(timeout, window, closeCode, closeReason, retryAfter);
    }

    /** @return the {@code Retry-After} header's value: {@link #retryAfter()} in whole seconds, rounded up */
    public String retryAfterSeconds() {
        long seconds = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
        return Long.toString(seconds);
    }

    /** @return the longest a drain with these options takes: {@code window + timeout} */
    public Duration longest() {
        return window.plus(timeout);
    }
}
