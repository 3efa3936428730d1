/**
 * The gateway's own RFC 6455 codec on Jetty's end points: the frame parser, the frame writer, the
 * close handshake, and the connection that wires them to Jetty and to the pair's relay.
 */
package io.wsgate.jetty.internal.relay;
