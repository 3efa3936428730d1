package io.wsgate.jetty;

import io.wsgate.core.Gateway;
import io.wsgate.core.GatewayConfig;
import io.wsgate.jetty.internal.backend.BackendClient;
import io.wsgate.jetty.internal.backend.JettyBackendConnector;
import io.wsgate.jetty.internal.DrainOnStop;
import io.wsgate.jetty.internal.PassthroughFlow;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletCoreRequest;
import org.eclipse.jetty.ee10.servlet.ServletCoreResponse;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * The wsgate gateway as a Jakarta Servlet for an existing Jetty 12 ee10 application. Map it on a
 * path with a wildcard ({@code /ws/*}); the path after the mapping selects the API. It must be
 * registered with {@code asyncSupported=true} (a {@code ServletHolder}'s {@code setAsyncSupported(true)}).
 *
 * <pre>{@code
 * ServletHolder holder = new ServletHolder(WsGateServlet.builder(config).build());
 * holder.setAsyncSupported(true);
 * context.addServlet(holder, "/ws/*");
 * }</pre>
 *
 * <p>How it differs from {@link WsGateHandler}: the request runs through the servlet container
 * (filters, security, sessions) before it reaches the gateway, and the servlet puts it in async
 * mode, so no container thread waits for the backend; the client is upgraded from the backend's
 * completion through Jetty's servlet-to-core request wrappers. Requests for a path no API matches
 * get 404 from the gateway (there is no "next handler": map the servlet on the gateway's paths only).
 * The servlet runs on Jetty ee10 only: it needs Jetty's websocket-core, not the
 * {@code jakarta.websocket} API.
 */
// "exports": the Servlet API this class shows is an optional dependency of io.wsgate.jetty (requires static), not
// required transitively: an application that uses the servlet requires it itself.
@SuppressWarnings("exports")
public final class WsGateServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(WsGateServlet.class);

    private final transient Gateway gateway;
    private final transient BackendClient client;
    private final transient DrainOnStop drain;
    private transient volatile PassthroughFlow flow;

    private WsGateServlet(Builder b) {
        this.gateway = b.gateway();
        this.client = b.backendClientFor();
        this.drain = b.drainOnStop(gateway);
    }

    /**
     * @param config the gateway's configuration
     * @return a builder
     */
    public static Builder builder(GatewayConfig config) {
        return new Builder(Objects.requireNonNull(config, "config"), null);
    }

    /**
     * @param gateway an engine already made
     * @return a builder
     */
    public static Builder builder(Gateway gateway) {
        return new Builder(null, Objects.requireNonNull(gateway, "gateway"));
    }

    /** @return the engine: its pairs, its counts of open pairs and pending handshakes, reconfiguration */
    public Gateway gateway() {
        return gateway;
    }

    @Override
    public void init() throws ServletException {
        ServletContextHandler context = ServletContextHandler.getServletContextHandler(getServletContext());
        try {
            if (context.getServer() != null && context.getServer().getThreadPool() != null) {
                // one pool for both sides of every pair, as the Handler does
                client.useExecutor(context.getServer().getThreadPool());
            }
            client.start();
        } catch (Exception e) {
            throw new ServletException("could not start the gateway's backend client", e);
        }
        flow = new PassthroughFlow(gateway, new JettyBackendConnector(client),
                WebSocketServerComponents.ensureWebSocketComponents(context.getServer(), context));
        drain.install(context.getServer());
    }

    /**
     * Drains the gateway (see {@link GatewayBuilder#drain}), blocking until every pair has ended or the drain's
     * window and timeout passed, then stops the backend client. When the server stops, the drain has already run
     * as it began stopping, while the connections were open (a server closes them before it stops its contexts).
     */
    @Override
    public void destroy() {
        drain.drainAndWait();
        drain.uninstall();
        try {
            client.stop();
        } catch (Exception e) {
            LOG.warn("could not stop the gateway's backend client", e);
        }
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) {
        String prefix = req.getContextPath() + req.getServletPath();
        String uri = req.getRequestURI();
        String pathInMount = uri.startsWith(prefix) ? uri.substring(prefix.length()) : uri;
        AsyncContext async = req.startAsync();
        async.setTimeout(0);
        Request coreRequest = ServletCoreRequest.wrap(req);
        Response coreResponse = ServletCoreResponse.wrap(coreRequest, resp, false);
        Callback done = Callback.from(async::complete, x -> {
            if (LOG.isDebugEnabled()) {
                LOG.debug("response to {} failed", uri, x);
            }
            async.complete();
        });
        flow.start(coreRequest, coreResponse, done, pathInMount);
    }

    /** Builds a {@link WsGateServlet}; not thread-safe. */
    public static final class Builder extends GatewayBuilder<Builder> {
        private Builder(GatewayConfig config, Gateway gateway) {
            super(config, gateway);
        }

        /** @return the servlet */
        public WsGateServlet build() {
            return new WsGateServlet(this);
        }
    }
}
