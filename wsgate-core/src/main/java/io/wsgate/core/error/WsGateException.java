package io.wsgate.core.error;

/**
 * The one unchecked root of wsgate's exceptions. Subclasses carry context (a bad
 * configuration's scope, a backend's URI and status) and are made by factories whose messages
 * say what to fix.
 */
public class WsGateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong and what to do about it */
    public WsGateException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong and what to do about it
     * @param cause   the underlying failure
     */
    public WsGateException(String message, Throwable cause) {
        super(message, cause);
    }
}
