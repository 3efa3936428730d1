/**
 * The Jetty 12 adapter of wsgate: {@link io.wsgate.jetty.WsGateHandler}, a core {@code Handler} to
 * mount in a Jetty server, and {@link io.wsgate.jetty.WsGateServlet}, a Servlet for an existing ee10
 * application, and {@link io.wsgate.jetty.WsGateConnectionFactory}, the gateway on a connector of its own, with
 * their builders.
 */
package io.wsgate.jetty;
