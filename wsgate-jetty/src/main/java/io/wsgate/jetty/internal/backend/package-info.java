/**
 * The backend side of the Jetty adapter: the client it reaches backends with, the gateway's own handshake (the
 * request head, the check of the answer, the I/O) and the connector core drives it through.
 */
package io.wsgate.jetty.internal.backend;
