package io.wsgate.examples;

import io.wsgate.api.ApiDefinition;
import io.wsgate.core.DrainOptions;
import io.wsgate.core.DrainResult;
import io.wsgate.core.Gateway;
import io.wsgate.core.GatewayConfig;
import io.wsgate.core.config.GatewayFileException;
import io.wsgate.core.GatewayListener;
import io.wsgate.core.file.GatewayFiles;
import io.wsgate.core.file.ReloadingGatewayFile;
import io.wsgate.jetty.HandshakeDeadline;
import io.wsgate.jetty.WsGateConnectionFactory;
import io.wsgate.jetty.WsGateConsole;
import io.wsgate.jetty.WsGateHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.server.ServerConnector;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The demo gateway: {@code java -jar wsgate-demo.jar [--port N] [--route SUFFIX=URL ... | --config FILE]}.
 * With {@code --config} it serves the gateway a YAML file declares; without it or {@code --route} it also
 * starts an embedded echo backend and routes {@code /echo} to it.
 * Prints {@code wsgate listening on ws://HOST:PORT} once it accepts connections, and with {@code --admin-port}
 * {@code wsgate admin on http://127.0.0.1:PORT} (the admin endpoint, metrics in a Prometheus registry), and with
 * {@code --console} {@code wsgate console on http://HOST:PORT/console/}. By default the port serves the gateway through
 * {@link WsGateConnectionFactory} (HTTP/1.1 only); with {@code --console} or {@code --connector handler}, through
 * Jetty's HTTP connection and the Handler. With {@code --tls-keystore} it listens on {@code wss://} (https for
 * the console), offering HTTP/2 through ALPN on the Handler. On SIGTERM
 * it drains (every pair closed with 1001, at once or over {@code --drain-window}, those left after
 * {@code --drain-timeout} aborted) and prints {@code wsgate drained: N pairs, C closed, A aborted, in S s}.
 */
public final class DemoGateway implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;
    private final EchoBackend echo;
    private final Gateway gateway;
    /** Null on the dedicated connector (the default without {@code --console} or {@code --connector handler}). */
    private final WsGateHandler handler;
    private final DemoAdmin admin;
    private final ReloadingGatewayFile file;
    private final boolean tls;
    private final boolean console;

    private DemoGateway(Server server, ServerConnector connector, EchoBackend echo, Gateway gateway, WsGateHandler handler,
                        DemoAdmin admin, ReloadingGatewayFile file, boolean tls, boolean console) {
        this.server = server;
        this.connector = connector;
        this.echo = echo;
        this.gateway = gateway;
        this.handler = handler;
        this.admin = admin;
        this.file = file;
        this.tls = tls;
        this.console = console;
    }

    /**
     * Starts the demo.
     *
     * @param options the command line
     * @return the running demo
     * @throws GatewayFileException when the --config file declares no valid gateway
     * @throws UncheckedIOException when the --config file cannot be read
     * @throws Exception            when a server cannot start
     */
    public static DemoGateway start(DemoOptions options) throws Exception {
        return start(options, System::getenv);
    }

    /**
     * Starts the demo, reading the key store's password from {@code env}.
     *
     * @param options the command line
     * @param env     reads an environment variable ({@code System::getenv})
     * @return the running demo
     * @throws DemoOptions.UsageException when --tls-password-env names a variable that is not set
     * @throws Exception                  as {@link #start(DemoOptions)}
     */
    static DemoGateway start(DemoOptions options, UnaryOperator<String> env) throws Exception {
        String password = options.tls().isPresent() ? options.tlsPassword(env) : "";
        EchoBackend echo = null;
        ReloadingGatewayFile file = null;
        DemoAdmin admin = options.admin().isPresent() ? new DemoAdmin() : null;
        List<GatewayListener> listeners = admin == null ? List.of() : List.of(admin.metrics());
        Gateway gateway;
        DrainOptions drain = null;
        if (options.configFile().isPresent()) {
            // reloaded when the file changes, or on the admin's POST /reload; drained as its gateway.drain says
            file = GatewayFiles.watching(options.configFile().get());
            gateway = file.createGateway(listeners);
        } else {
            Map<String, URI> routes = options.routes();
            if (routes.isEmpty()) {
                echo = EchoBackend.start("127.0.0.1", 0);
                routes = Map.of("/echo", echo.uri());
            }
            GatewayConfig.Builder config = GatewayConfig.builder();
            for (Map.Entry<String, URI> route : routes.entrySet()) {
                config.api(ApiDefinition.builder(apiName(route.getKey())).displayName(route.getKey())
                        .backend(route.getValue()).urlSuffix(route.getKey()).limits(options.limits()).build());
            }
            gateway = Gateway.create(config.build(), listeners);
            drain = options.drain();
        }
        QueuedThreadPool threads = new QueuedThreadPool(options.threads());
        threads.setName("wsgate");
        Server server = new Server(threads);
        WsGateHandler handler = null;
        ServerConnector connector;
        if (options.connector() == DemoOptions.Connector.DEDICATED) {
            WsGateConnectionFactory.Builder dedicated = WsGateConnectionFactory.builder(gateway);
            if (drain != null) {
                dedicated.drain(drain);
            }
            WsGateConnectionFactory factory = dedicated.build();
            connector = options.tls().isPresent() ? DemoConnectors.dedicatedTls(server, options.tls().get(), password, factory)
                    : DemoConnectors.dedicated(server, factory);
        } else {
            WsGateHandler.Builder builder = WsGateHandler.builder(gateway);
            if (drain != null) {
                builder.drain(drain);
            }
            handler = builder.build();
            // no acceptor thread: the selector accepts, one thread hand-off less per connection
            // (9% less gateway CPU per handshake in wsgate-bench; see its README)
            connector = options.tls().isPresent()
                    ? DemoConnectors.tls(server, options.tls().get(), password) : DemoConnectors.plain(server);
            if (options.console()) {
                // the console's context first: /console/ stays the console's whatever URL suffixes the APIs have
                ContextHandler consoleContext = new ContextHandler(WsGateConsole.builder(gateway).build(), "/console");
                server.setHandler(new Handler.Sequence(consoleContext, handler));
            } else {
                server.setHandler(handler);
            }
        }
        connector.setHost(options.host());
        connector.setPort(options.port());
        // the listen backlog: the JDK's 50 overflows in a reconnect storm (wsgate-bench storm; see its README)
        connector.setAcceptQueueSize(options.acceptQueue());
        server.addConnector(connector);
        HandshakeDeadline.install(connector, Duration.ofSeconds(10));
        // stopped by the demo's own shutdown hook, which reports the drain (see run)
        try {
            if (options.warmUp() > 0) {
                DemoWarmUp.run(options.warmUp(), options.connector()); // before the port is bound: no client meets the cold path
            }
            server.start();
            if (admin != null) {
                admin.start(gateway, options.admin().getAsInt(), Optional.ofNullable(file));
            }
        } catch (Exception e) {
            server.stop();
            if (admin != null) {
                admin.close();
            }
            if (file != null) {
                file.close();
            }
            if (echo != null) {
                echo.close();
            }
            throw e;
        }
        return new DemoGateway(server, connector, echo, gateway, handler, admin, file, options.tls().isPresent(), options.console());
    }

    /** @return an API name made from a URL suffix: "/chat/v1" gives "chat.v1", "" gives "root" */
    static String apiName(String suffix) {
        String name = suffix.replaceAll("^/+|/+$", "").replaceAll("[^A-Za-z0-9._-]+", ".");
        return name.isEmpty() || !Character.isLetterOrDigit(name.charAt(0)) ? "root" + name : name;
    }

    /** @return the gateway's base URI, e.g. {@code ws://127.0.0.1:8080} */
    public URI uri() {
        String host = connector.getHost() == null ? "0.0.0.0" : connector.getHost();
        return URI.create((tls ? "wss://" : "ws://") + (host.contains(":") ? "[" + host + "]" : host) + ":"
                + connector.getLocalPort());
    }

    /** @return the test console's page, when --console was given, e.g. {@code http://127.0.0.1:8080/console/} */
    public Optional<URI> consoleUri() {
        URI ws = uri();
        return console ? Optional.of(URI.create((tls ? "https" : "http") + ws.toString().substring(ws.getScheme().length())
                + "/console/")) : Optional.empty();
    }

    /** @return the admin endpoint's base URI, when --admin-port was given */
    public java.util.Optional<URI> adminUri() {
        return admin == null ? java.util.Optional.empty() : java.util.Optional.of(admin.uri());
    }

    /** @return the gateway's connector (tests read its accept queue size) */
    ServerConnector connector() {
        return connector;
    }

    /** @return the gateway the demo serves (on the Handler or on the dedicated connector) */
    public Gateway gateway() {
        return gateway;
    }

    /**
     * @return the gateway handler
     * @throws IllegalStateException on the dedicated connector (the default without {@code --console} or
     *                               {@code --connector handler}), which serves the gateway without one
     */
    public WsGateHandler handler() {
        if (handler == null) {
            throw new IllegalStateException("the dedicated connector serves the gateway without a handler: use gateway()");
        }
        return handler;
    }

    /**
     * Stops the demo: the gateway drains first (as the server begins stopping), then the server and the echo
     * backend stop.
     *
     * @return what the drain did; empty when it had not ended when the server stopped
     * @throws Exception when the server cannot stop
     */
    public Optional<DrainResult> stop() throws Exception {
        try {
            server.stop();
        } finally {
            if (file != null) {
                file.close();
            }
            gateway.config().limitStore().close(); // a --config file's store (Redis): after the pairs' releases
            if (admin != null) {
                admin.close();
            }
            if (echo != null) {
                echo.close();
            }
        }
        // the drain the stop ran: the same stage, whatever the options given here
        return Optional.ofNullable(gateway.drain(DrainOptions.ofDefaults()).toCompletableFuture().getNow(null));
    }

    /** @return the line the demo prints once drained, e.g. {@code wsgate drained: 5000 pairs, 4998 closed, 2 aborted, in 12.3 s} */
    static String drainedLine(Optional<DrainResult> result) {
        return result.map(r -> "wsgate drained: " + r).orElse("wsgate stopped before the drain ended");
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    /**
     * Runs the demo until the process is stopped.
     *
     * @param args the command line; {@code --help} lists it
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * @return the exit status: 0 after --help, 2 for a bad command line or --config file, 1 when a server cannot start;
     *         otherwise the call returns only once the gateway stopped (0)
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (DemoOptions.UsageException e) {
            err.println("wsgate-demo: " + e.getMessage());
            return 2;
        }
        if (options.help()) {
            out.print(DemoOptions.USAGE);
            return 0;
        }
        DemoGateway demo;
        try {
            demo = start(options);
        } catch (DemoOptions.UsageException e) {
            err.println("wsgate-demo: " + e.getMessage());
            return 2;
        } catch (GatewayFileException | UncheckedIOException e) {
            err.println("wsgate-demo: " + e.getMessage().lines().findFirst().orElse("bad --config file"));
            return 2;
        } catch (Exception e) {
            err.println("wsgate-demo: cannot start: " + e.getMessage());
            return 1;
        }
        URI base = demo.uri();
        out.println("wsgate listening on " + base);
        var served = demo.gateway.config();
        for (var api : served.apis()) {
            if (api.servedBy(served.name())) {
                out.println("  " + base + api.urlSuffix() + "  ->  " + api.backendUrl());
            }
        }
        if (demo.file != null) {
            out.println("  (reloaded when " + demo.file.file() + " changes)");
        }
        if (served.limitStore().isShared()) {
            out.println("  limits shared through " + served.limitStore().describe() + " (" + served.limitStore().failureMode()
                    .name().toLowerCase(java.util.Locale.ROOT) + " when it fails)");
        }
        demo.consoleUri().ifPresent(page -> out.println("wsgate console on " + page
                + "  (development only: it lists the APIs)"));
        demo.adminUri().ifPresent(admin -> out.println("wsgate admin on " + admin
                + "  (GET /health, /metrics, /pairs; loopback only)"));
        if (demo.echo != null) {
            out.println("Try it: open " + base + "/echo with any WebSocket client; every message comes back.");
        }
        out.flush();
        // SIGTERM (or Ctrl-C): drain, say how it went, then let the JVM exit
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                out.println(drainedLine(demo.stop()));
            } catch (Exception e) {
                err.println("wsgate-demo: stop failed: " + e.getMessage());
            }
            out.flush();
        }, "wsgate-drain"));
        try {
            demo.server.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
