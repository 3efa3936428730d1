package io.wsgate.core.store;

import java.util.Objects;

/**
 * A call to a shared {@link LimitStore} that failed, as {@link LimitStoreMonitor} reports it (to the gateways'
 * {@code GatewayListener#limitStoreFailed}).
 *
 * @param store       the store, as {@link LimitStore#describe()} names it
 * @param operation   {@code rate} (a rate limit or quota), {@code acquire}, {@code renew} or {@code release} (a
 *                    connection permit)
 * @param mode        what the limit did about it: refused the handshake, or fell back to local limits (a failed
 *                    renewal or release changes nothing for the pair)
 * @param reason      why, in short (the exception's type and message; never a password or a key)
 * @param outageStart true for the first failure after the store last answered
 */
public record LimitStoreFailure(String store, String operation, FailureMode mode, String reason, boolean outageStart) {

    /** Checks the values. */
    public LimitStoreFailure {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(reason, "reason");
    }
}
