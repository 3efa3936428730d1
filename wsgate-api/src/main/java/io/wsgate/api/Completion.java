package io.wsgate.api;

/**
 * Told once, when an asynchronous step has finished: either {@link #succeeded()} or
 * {@link #failed(Throwable)}, never both, never twice.
 *
 * <p>wsgate's own tiny callback type, so that the SPI does not leak a transport's.
 */
public interface Completion {

    /** A completion that does nothing. */
    Completion NOOP = new Completion() {
        @Override
        public void succeeded() {
        }

        @Override
        public void failed(Throwable cause) {
        }
    };

    /** The step succeeded. */
    void succeeded();

    /**
     * The step failed.
     *
     * @param cause why
     */
    void failed(Throwable cause);
}
