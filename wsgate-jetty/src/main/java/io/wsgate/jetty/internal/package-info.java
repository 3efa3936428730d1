/**
 * The Jetty adapter's internals: the passthrough flow (Jetty's handshakes on both sides), the
 * relay's own frame codec on Jetty's end points, and the backend connector.
 */
package io.wsgate.jetty.internal;
