package io.wsgate.api;

/**
 * What a {@link MessagePolicy} knows of the frame it decides, beside the frame itself. A view the gateway
 * reuses for every frame of a direction (no allocation per frame): read it during
 * {@link MessagePolicy#onFrame} only, never keep it.
 */
public interface MessageContext {

    /** @return the pair (its id, API, handshake request, the attributes the handshake policies left) */
    ConnectionPair pair();

    /** @return the frame's direction: {@link Direction#CLIENT_TO_BACKEND} is inbound */
    Direction direction();

    /** @return true when the frame's message is text (a UTF-8 frame), false for binary */
    boolean text();

    /**
     * @return the payload bytes of the frame's message so far, this frame included (a message's frames are
     *         counted across fragments, as the gateway received them, before any replacement)
     */
    long messageBytes();

    /**
     * @return how many whole messages this direction of the pair has carried before this frame's message
     *         (as received, whatever the policies decided)
     */
    long messagesBefore();
}
