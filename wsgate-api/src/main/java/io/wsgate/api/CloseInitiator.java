package io.wsgate.api;

/** Who ended a connection pair, as the access log reports it; {@link CloseCause} says why. */
public enum CloseInitiator {
    /** The client sent a close frame or went away. */
    CLIENT,
    /** The backend sent a close frame or went away. */
    BACKEND,
    /** The gateway closed the pair (a limit, an idle timeout, shutdown, a policy). */
    GATEWAY
}
