/**
 * The Jetty 12 adapter of wsgate: a core {@code Handler}, an ee10 {@code Servlet} and a connection factory of its
 * own. Only {@code io.wsgate.jetty} is exported; the passthrough flow, the dedicated connector's connection, the
 * backend side and the relay's codec are internal.
 */
module io.wsgate.jetty {
    // The builders take a Gateway or a GatewayConfig; the Handler is a Jetty Handler, the options take a
    // ClientConnector, HandshakeDeadline listens on a Connector's connections.
    requires transitive io.wsgate.core;
    requires transitive org.eclipse.jetty.io;
    requires transitive org.eclipse.jetty.server;
    requires transitive org.eclipse.jetty.util;

    requires com.fasterxml.jackson.core;
    requires org.eclipse.jetty.http;
    requires org.eclipse.jetty.websocket.core.common;
    requires org.eclipse.jetty.websocket.core.server;
    requires org.slf4j;
    // WsGateServlet only: optional dependencies, which an ee10 application has (and requires) already. Not
    // transitive, even though WsGateServlet is an HttpServlet: "requires static transitive" would make javac
    // demand the Servlet API of every module that requires this one, a Handler-only application too.
    requires static jakarta.servlet;
    requires static org.eclipse.jetty.ee10.servlet;

    exports io.wsgate.jetty;
}
