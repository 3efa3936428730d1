package io.wsgate.core.store;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * A gateway file's {@code gateway.limitStore}, as its {@link LimitStoreFactory} gets it.
 *
 * @param type           the store's type, e.g. {@code redis}
 * @param uri            where the store is, e.g. {@code redis://:secret@redis:6379/0} or {@code rediss://...}
 * @param gateway        the gateway's name: the store's keys are namespaced by it, so that the instances of one
 *                       gateway share their counts and other gateways do not
 * @param commandTimeout how long a handshake waits for the store at most (default 200 ms)
 * @param failureMode    what limits do while the store fails (default {@link FailureMode#CLOSED})
 * @param leaseTime      how long a connection permit lives unless renewed (default 30 s)
 * @param clock          the gateway's clock: the time of token buckets and leases
 */
public record LimitStoreSettings(String type, URI uri, String gateway, Duration commandTimeout, FailureMode failureMode,
                                 Duration leaseTime, Clock clock) {

    /** The default command timeout: 200 ms. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMillis(200);
    /** The default lease time of a connection permit: 30 s. */
    public static final Duration DEFAULT_LEASE_TIME = Duration.ofSeconds(30);

    /** Checks the values. */
    public LimitStoreSettings {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        Objects.requireNonNull(failureMode, "failureMode");
        Objects.requireNonNull(leaseTime, "leaseTime");
        Objects.requireNonNull(clock, "clock");
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("commandTimeout must be positive, got " + commandTimeout);
        }
        if (leaseTime.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("leaseTime must be at least 1s, got " + leaseTime);
        }
    }
}
