/**
 * The public SPI of wsgate: {@link io.wsgate.api.HandshakePolicy}, {@link io.wsgate.api.ConnectionPair},
 * {@link io.wsgate.api.FrameRelay} and the immutable values they speak in.
 */
package io.wsgate.api;
