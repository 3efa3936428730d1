package io.wsgate.api;

/** Which way a frame travels through a connection pair. */
public enum Direction {
    /** From the client, through the gateway, to the backend. */
    CLIENT_TO_BACKEND,
    /** From the backend, through the gateway, to the client. */
    BACKEND_TO_CLIENT;

    /** @return the other direction */
    public Direction reverse() {
        return this == CLIENT_TO_BACKEND ? BACKEND_TO_CLIENT : CLIENT_TO_BACKEND;
    }
}
