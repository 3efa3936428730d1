/**
 * The public SPI of wsgate: what handshake policies, transports and applications speak.
 */
module io.wsgate.api {
    exports io.wsgate.api;
}
