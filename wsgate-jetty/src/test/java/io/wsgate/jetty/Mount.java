package io.wsgate.jetty;

import io.wsgate.core.Gateway;
import io.wsgate.core.GatewayConfig;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;

/**
 * The three ways an application serves the gateway, each on a Jetty server of its own: 8 threads (one
 * acceptor, one selector, a few workers), one connector on 127.0.0.1, port 0, speaking HTTP/1.1 and
 * HTTP/2 with prior knowledge (h2c, extended CONNECT enabled) for the Handler and the Servlet; the
 * dedicated connector speaks HTTP/1.1 only. {@link #atRoot} serves it on a connector a test made instead
 * (the suites of {@link GatewayTestBase}).
 */
enum Mount {

    /** {@link WsGateHandler} as the server's handler: the APIs' URL suffixes at the root. */
    HANDLER("") {
        @Override
        Gateway mount(Server server, GatewayConfig config) {
            WsGateHandler handler = WsGateHandler.builder(config).build();
            server.setHandler(handler);
            return handler.gateway();
        }

        @Override
        GatewayTestBase.Served atRoot(Server server, ServerConnector connector, GatewayConfig config, Gateway engine,
                                      Consumer<GatewayBuilder<?>> customize) {
            WsGateHandler.Builder b = engine != null ? WsGateHandler.builder(engine) : WsGateHandler.builder(config);
            customize.accept(b);
            WsGateHandler handler = b.build();
            server.setHandler(handler);
            return handler::gateway;
        }
    },

    /**
     * {@link WsGateServlet} mapped to {@code /ws/*} in an ee10 context at {@code /app}, next to the
     * application's own servlet at {@code /hello} (which answers "hello from the app").
     */
    SERVLET("/app/ws") {
        @Override
        Gateway mount(Server server, GatewayConfig config) {
            ServletContextHandler context = new ServletContextHandler("/app");
            context.addServlet(new ServletHolder(new HttpServlet() {
                @Override
                protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    resp.getWriter().print("hello from the app");
                }
            }), "/hello");
            WsGateServlet servlet = WsGateServlet.builder(config).build();
            ServletHolder holder = new ServletHolder(servlet);
            holder.setAsyncSupported(true);
            context.addServlet(holder, "/ws/*");
            server.setHandler(context);
            return servlet.gateway();
        }

        /** The Servlet mapped to {@code /*} in an ee10 context at {@code /}. */
        @Override
        GatewayTestBase.Served atRoot(Server server, ServerConnector connector, GatewayConfig config, Gateway engine,
                                      Consumer<GatewayBuilder<?>> customize) {
            WsGateServlet.Builder b = engine != null ? WsGateServlet.builder(engine) : WsGateServlet.builder(config);
            customize.accept(b);
            WsGateServlet servlet = b.build();
            ServletContextHandler context = new ServletContextHandler("/");
            ServletHolder holder = new ServletHolder(servlet);
            holder.setAsyncSupported(true);
            context.addServlet(holder, "/*");
            server.setHandler(context);
            return servlet::gateway;
        }
    },

    /** {@link WsGateConnectionFactory} as the connector's only protocol (behind TLS when it has an SSL factory). */
    CONNECTOR("") {
        @Override
        Gateway mount(Server server, GatewayConfig config) {
            throw new UnsupportedOperationException("the connector is no handler: see start()");
        }

        @Override
        Started start(GatewayConfig config) throws Exception {
            QueuedThreadPool threads = new QueuedThreadPool(8, 8);
            threads.setName("gateway");
            Server server = new Server(threads);
            WsGateConnectionFactory factory = WsGateConnectionFactory.builder(config).build();
            ServerConnector connector = new ServerConnector(server, 1, 1, factory);
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            server.start();
            return new Started(this, server, factory.gateway());
        }

        /** Replaces the connector's protocols by the gateway's (keeping its TLS). */
        @Override
        GatewayTestBase.Served atRoot(Server server, ServerConnector connector, GatewayConfig config, Gateway engine,
                                      Consumer<GatewayBuilder<?>> customize) {
            WsGateConnectionFactory.Builder b = engine != null ? WsGateConnectionFactory.builder(engine)
                    : WsGateConnectionFactory.builder(config);
            customize.accept(b);
            WsGateConnectionFactory factory = b.build();
            SslConnectionFactory tls = connector.getConnectionFactory(SslConnectionFactory.class);
            connector.clearConnectionFactories();
            if (tls != null) {
                connector.addConnectionFactory(new SslConnectionFactory(tls.getSslContextFactory(), factory.getProtocol()));
            }
            connector.addConnectionFactory(factory);
            return factory::gateway;
        }
    };

    /** Where the mount puts the gateway: a client's path is this, then an API's URL suffix. */
    final String prefix;

    Mount(String prefix) {
        this.prefix = prefix;
    }

    /** Puts the gateway for this configuration on the (not yet started) server. */
    abstract Gateway mount(Server server, GatewayConfig config);

    /**
     * Serves the gateway of the configuration (or the engine, when not null) at the root of the (not yet
     * started) server, on this connector of it, the builder customized first.
     */
    abstract GatewayTestBase.Served atRoot(Server server, ServerConnector connector, GatewayConfig config, Gateway engine,
                                           Consumer<GatewayBuilder<?>> customize);

    /**
     * @param config the gateway's configuration
     * @return the started server with the gateway mounted
     */
    Started start(GatewayConfig config) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(8, 8);
        threads.setName("gateway");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        HTTP2CServerConnectionFactory h2c = new HTTP2CServerConnectionFactory(http);
        h2c.setConnectProtocolEnabled(true);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http), h2c);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        Gateway gateway = mount(server, config);
        server.start();
        return new Started(this, server, gateway);
    }

    /**
     * A running server with the gateway mounted.
     *
     * @param mount   how it is mounted
     * @param server  the server
     * @param gateway the gateway it serves
     */
    record Started(Mount mount, Server server, Gateway gateway) {

        int port() {
            return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
        }

        /** @return the request path of an API's URL suffix (and what follows it) on this mount */
        String path(String suffix) {
            return mount.prefix + suffix;
        }

        /** @return the ws:// URL of an API's URL suffix (and what follows it) on this mount */
        String url(String suffix) {
            return "ws://127.0.0.1:" + port() + path(suffix);
        }

        /** Waits until no pair is open and no handshake pending (a leak fails the test), then stops the server. */
        void stopWhenIdle() throws Exception {
            try {
                await().atMost(Duration.ofSeconds(15)).until(() -> gateway.openPairs() == 0 && gateway.pendingHandshakes() == 0);
            } finally {
                server.stop();
            }
        }
    }
}
