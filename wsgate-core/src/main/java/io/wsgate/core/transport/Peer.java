package io.wsgate.core.transport;

import io.wsgate.api.Direction;

/** One of the two connections of a pair. */
public enum Peer {
    /** The client's connection to the gateway. */
    CLIENT,
    /** The gateway's connection to the backend. */
    BACKEND;

    /** @return the other peer */
    public Peer other() {
        return this == CLIENT ? BACKEND : CLIENT;
    }

    /** @return the direction of frames this peer sends */
    public Direction sends() {
        return this == CLIENT ? Direction.CLIENT_TO_BACKEND : Direction.BACKEND_TO_CLIENT;
    }
}
