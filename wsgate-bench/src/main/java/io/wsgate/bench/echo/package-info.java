/** The echo backend: a plain Jetty 12 WebSocket server, independent of wsgate, that echoes every frame. */
package io.wsgate.bench.echo;
