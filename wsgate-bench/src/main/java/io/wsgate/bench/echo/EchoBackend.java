package io.wsgate.bench.echo;

import io.wsgate.bench.Args;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;

/**
 * {@code echo [--host 127.0.0.1] [--port 0] [--selectors 1] [--threads 8]}: a Jetty 12
 * websocket-core server that echoes every frame on every path. Prints
 * {@code echo listening on ws://HOST:PORT} once it accepts connections.
 */
public final class EchoBackend {

    private static final Logger LOG = LoggerFactory.getLogger(EchoBackend.class);

    private EchoBackend() {
    }

    /**
     * @param args the options
     * @return never, while the server runs; 2 on a usage error
     * @throws Exception when the server cannot start
     */
    public static int main(String[] args) throws Exception {
        Args opts = Args.parse(args, Set.of(), Set.of("host", "port", "selectors", "threads"));
        String host = opts.value("host").orElse("127.0.0.1");
        int port = opts.intValue("port", 0);
        Server server = start(host, port, opts.intValue("selectors", 1), opts.intValue("threads", 8));
        ServerConnector connector = (ServerConnector) server.getConnectors()[0];
        System.out.println("echo listening on ws://" + host + ":" + connector.getLocalPort());
        System.out.flush();
        server.join();
        return 0;
    }

    /**
     * Starts an echo server.
     *
     * @param host      the address to bind
     * @param port      the port, 0 for any
     * @param selectors the connector's selector count
     * @param threads   the thread pool's maximum
     * @return the started server
     * @throws Exception when it cannot start
     */
    public static Server start(String host, int port, int selectors, int threads) throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(Math.max(threads, 4), 2);
        pool.setName("echo");
        // as in the driver: no reserved threads, fewer hand-offs between threads on a single core
        pool.setReservedThreads(Integer.getInteger("wsgate.bench.reservedThreads", 0));
        Server server = new Server(pool);
        ServerConnector connector = new ServerConnector(server, 1, selectors);
        connector.setHost(host);
        connector.setPort(port);
        connector.setAcceptQueueSize(4096);
        connector.setIdleTimeout(Duration.ofMinutes(30).toMillis());
        server.addConnector(connector);

        WebSocketUpgradeHandler upgrade = new WebSocketUpgradeHandler();
        upgrade.addMapping("/*", new WebSocketNegotiator() {
            @Override
            public FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
                if (!request.getSubProtocols().isEmpty()) {
                    response.setAcceptedSubProtocol(request.getSubProtocols().get(0));
                }
                return new io.wsgate.examples.EchoBackend.Echo();
            }

            @Override
            public void customize(Configuration configuration) {
                configuration.setIdleTimeout(Duration.ofMinutes(30));
                configuration.setMaxFrameSize(16 * 1024 * 1024);
                configuration.setMaxBinaryMessageSize(16 * 1024 * 1024);
                configuration.setMaxTextMessageSize(16 * 1024 * 1024);
                configuration.setAutoFragment(false);
            }
        });
        server.setHandler(upgrade);
        server.start();
        LOG.debug("echo backend started on {}:{}", host, connector.getLocalPort());
        return server;
    }
}
