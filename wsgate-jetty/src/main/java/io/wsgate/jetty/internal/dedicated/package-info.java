/**
 * The dedicated gateway connector's internals: the connection that reads one upgrade request off Jetty's
 * {@code HttpParser}, hands it to the gateway and writes the 101 or the error itself.
 */
package io.wsgate.jetty.internal.dedicated;
