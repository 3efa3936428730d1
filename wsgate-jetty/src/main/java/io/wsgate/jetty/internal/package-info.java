/**
 * The Jetty adapter's internals: the passthrough flow that runs an exchange on Jetty (the client's handshake
 * through Jetty's own), over the backend side ({@code backend}) and the relay's connections ({@code relay}),
 * which never depend on this package.
 */
package io.wsgate.jetty.internal;
