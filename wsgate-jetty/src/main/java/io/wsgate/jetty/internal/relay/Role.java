package io.wsgate.jetty.internal.relay;

/**
 * Which end of a WebSocket connection the gateway is (RFC 6455 §5.1): what its parser expects and
 * what its writer does.
 */
enum Role {
    /** Toward a client: the gateway is the server; frames it reads must be masked, frames it writes are not. */
    SERVER,
    /** Toward a backend: the gateway is the client; frames it reads must not be masked, frames it writes are. */
    CLIENT;

    /** @return true when this end masks what it writes (and so reads only unmasked frames) */
    boolean masks() {
        return this == CLIENT;
    }
}
