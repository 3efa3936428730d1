/**
 * The Jetty adapter's internals: the passthrough flow (Jetty's handshakes on both sides), the
 * relay's connections ({@code relay}), and the backend connector.
 */
package io.wsgate.jetty.internal;
