/** The Jetty adapter's internals: the passthrough flow on websocket-core, frame handlers and the backend connector. */
package io.wsgate.jetty.internal;
