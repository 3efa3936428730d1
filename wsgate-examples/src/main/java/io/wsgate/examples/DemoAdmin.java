package io.wsgate.examples;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wsgate.core.Gateway;
import io.wsgate.core.GatewayListener;
import io.wsgate.jetty.WsGateAdmin;
import io.wsgate.micrometer.WsGateMetrics;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.net.URI;

/**
 * The demo's admin endpoint ({@code --admin-port}): a server of its own on 127.0.0.1, apart from the gateway's
 * port, with a {@link WsGateAdmin} over the gateway and the Prometheus registry its metrics go to.
 */
final class DemoAdmin implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private Server server;
    private ServerConnector connector;

    /** @return the listener that records the gateway's meters into this admin's registry */
    GatewayListener metrics() {
        return WsGateMetrics.of(registry);
    }

    /**
     * Starts the admin server.
     *
     * @param gateway the gateway it reports on
     * @param port    the port on 127.0.0.1, 0 for any free one
     * @throws Exception when the server cannot start
     */
    void start(Gateway gateway, int port) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(8, 1);
        threads.setName("admin");
        server = new Server(threads);
        connector = new ServerConnector(server, 0, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(WsGateAdmin.builder(gateway).metrics(registry::scrape).build());
        server.start();
    }

    /** @return the admin endpoint's base URI, e.g. {@code http://127.0.0.1:9090} */
    URI uri() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.stop();
        }
        registry.close();
    }
}
