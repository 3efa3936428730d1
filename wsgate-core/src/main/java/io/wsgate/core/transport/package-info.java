/**
 * The ports a transport adapter (the Jetty Handler and Servlet today; Netty or Undertow next) implements
 * and calls: the connection sides the relay writes to, the relay it reports frames and ends to, and the
 * values a handshake ends with, and the rule for what of a request a log line may hold. Users of the gateway
 * never need these types.
 */
package io.wsgate.core.transport;
