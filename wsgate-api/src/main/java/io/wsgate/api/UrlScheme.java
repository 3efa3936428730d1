package io.wsgate.api;

/** A scheme a client may use to reach an API on the gateway. */
public enum UrlScheme {
    /** Plain WebSocket, {@code ws://}. */
    WS,
    /** WebSocket over TLS, {@code wss://}. */
    WSS
}
