package io.wsgate.api;

/**
 * The kind of a WebSocket frame as the gateway relays it: the five buffer types of a managed
 * gateway's WebSocket passthrough ({@code Close, BinaryFragment, BinaryMessage, UTF8Fragment,
 * UTF8Message}) plus ping and pong.
 *
 * <p>A message sent in one frame is a {@code *_MESSAGE}; every frame of a message sent in
 * several frames (its first, its continuations and its last) is a {@code *_FRAGMENT}, and
 * {@link Frame#first()} / {@link Frame#last()} say where in the message it stands.
 */
public enum FrameType {
    /** A whole text message in one frame. */
    UTF8_MESSAGE(true, false),
    /** One frame of a text message sent in several frames. */
    UTF8_FRAGMENT(true, false),
    /** A whole binary message in one frame. */
    BINARY_MESSAGE(true, false),
    /** One frame of a binary message sent in several frames. */
    BINARY_FRAGMENT(true, false),
    /** A close frame: code and reason in its payload. */
    CLOSE(false, true),
    /** A ping; relayed end to end by default. */
    PING(false, true),
    /** A pong; relayed end to end by default. */
    PONG(false, true);

    private final boolean data;
    private final boolean control;

    FrameType(boolean data, boolean control) {
        this.data = data;
        this.control = control;
    }

    /** @return true for the four kinds that carry message data */
    public boolean isData() {
        return data;
    }

    /** @return true for close, ping and pong */
    public boolean isControl() {
        return control;
    }

    /** @return true for the two text kinds */
    public boolean isText() {
        return this == UTF8_MESSAGE || this == UTF8_FRAGMENT;
    }
}
