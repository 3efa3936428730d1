package io.wsgate.core.store;

/** What a gateway does with a handshake when its shared {@link LimitStore} does not answer in time. */
public enum FailureMode {
    /** Refuse it: 503 {@code LIMIT_STORE_UNAVAILABLE} (the default: no limit is exceeded during an outage). */
    CLOSED,
    /** Admit it within this instance's own in-memory limits (each instance then allows what the whole cluster would). */
    OPEN
}
