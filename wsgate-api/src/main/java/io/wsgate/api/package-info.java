/**
 * The public SPI of wsgate: {@link io.wsgate.api.HandshakePolicy} (who may connect),
 * {@link io.wsgate.api.MessagePolicy} (what flows over an established pair), {@link io.wsgate.api.ConnectionPair}
 * and the immutable values they speak in.
 */
package io.wsgate.api;
