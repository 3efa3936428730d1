package io.wsgate.bench.driver;

/**
 * Told when a run's measurement window opens (after warm-up) and closes, so that the caller can
 * sample the CPU time of the processes under test at exactly those moments.
 */
public interface Window {

    /** A window that samples nothing. */
    Window NONE = new Window() {
        @Override
        public void opened() {
        }

        @Override
        public void closed() {
        }
    };

    /** The measurement starts now. */
    void opened();

    /** The measurement ends now. */
    void closed();
}
