package io.wsgate.examples;

import io.wsgate.api.ApiDefinition;
import io.wsgate.core.GatewayConfig;
import io.wsgate.jetty.WsGateServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.io.IOException;
import java.net.URI;

/**
 * An existing Jetty ee10 servlet application that adds the wsgate Servlet next to its own
 * servlets: {@code /hello} is the application's, {@code /ws/*} is the gateway's, and
 * {@code /ws/echo} reaches an echo backend.
 */
public final class ServletAppExample implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;
    private final EchoBackend backend;

    private ServletAppExample(Server server, ServerConnector connector, EchoBackend backend) {
        this.server = server;
        this.connector = connector;
        this.backend = backend;
    }

    /** The application's own servlet. */
    public static final class HelloServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.getWriter().println("hello from the application");
        }
    }

    /**
     * @param port the port, 0 for any
     * @return the running application
     * @throws Exception when it cannot start
     */
    public static ServletAppExample start(int port) throws Exception {
        EchoBackend backend = EchoBackend.start("127.0.0.1", 0);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(HelloServlet.class, "/hello");

        GatewayConfig gateway = GatewayConfig.builder()
                .api(ApiDefinition.builder("echo").backend(backend.uri()).urlSuffix("/echo").build())
                .build();
        ServletHolder wsgate = new ServletHolder("wsgate", WsGateServlet.builder(gateway).build());
        wsgate.setAsyncSupported(true);
        context.addServlet(wsgate, "/ws/*");

        server.setHandler(context);
        server.start();
        return new ServletAppExample(server, connector, backend);
    }

    /** @return the application's base URI, e.g. {@code http://127.0.0.1:8080} */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @Override
    public void close() throws Exception {
        try {
            server.stop();
        } finally {
            backend.close();
        }
    }

    /**
     * Runs the application until the process is stopped.
     *
     * @param args optional port (default 8080)
     * @throws Exception when it cannot start
     */
    public static void main(String[] args) throws Exception {
        ServletAppExample app = start(args.length > 0 ? Integer.parseInt(args[0]) : 8080);
        System.out.println("application on " + app.uri() + "/hello, gateway on ws://127.0.0.1:" + app.connector.getLocalPort() + "/ws/echo");
        app.server.join();
    }
}
