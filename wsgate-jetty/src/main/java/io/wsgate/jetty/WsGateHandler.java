package io.wsgate.jetty;

import io.wsgate.core.Gateway;
import io.wsgate.core.GatewayConfig;
import io.wsgate.jetty.internal.backend.BackendClients;
import io.wsgate.jetty.internal.backend.JettyBackendConnector;
import io.wsgate.jetty.internal.PassthroughFlow;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;

import java.security.KeyStore;
import java.util.Objects;

/**
 * The wsgate gateway as a Jetty 12 core {@link Handler}: every request whose path (below the
 * context) reaches one of the gateway's APIs goes through the passthrough flow; any other request
 * goes to the wrapped handler when there is one, or gets 404.
 *
 * <p>No thread waits for a backend: {@link #handle} returns at once and the client is upgraded
 * from the completion of the backend's handshake. Policies must not block either (a policy that
 * must, runs on its own executor: {@code HandshakePolicy.blocking}).
 *
 * <pre>{@code
 * WsGateHandler gateway = WsGateHandler.builder(config).build();
 * server.setHandler(gateway);
 * }</pre>
 */
public final class WsGateHandler extends Handler.Wrapper {

    private final Gateway gateway;
    private final WebSocketCoreClient client;
    private final boolean ownsClient;
    private volatile PassthroughFlow flow;

    private WsGateHandler(Builder b) {
        super(b.next);
        this.gateway = b.gateway != null ? b.gateway : Gateway.create(b.config);
        if (b.client != null) {
            this.client = b.client;
            this.ownsClient = false;
            addBean(client, false);
        } else {
            this.client = BackendClients.create(b.trustStore, b.verifyHostname);
            this.ownsClient = true;
            addManaged(client);
        }
    }

    /**
     * @param config the gateway's configuration
     * @return a builder
     */
    public static Builder builder(GatewayConfig config) {
        return new Builder(Objects.requireNonNull(config, "config"), null);
    }

    /**
     * @param gateway an engine already made (shared with the application, e.g. to reconfigure it)
     * @return a builder
     */
    public static Builder builder(Gateway gateway) {
        return new Builder(null, Objects.requireNonNull(gateway, "gateway"));
    }

    /** @return the engine: its pairs, its counts of open pairs and pending handshakes, reconfiguration */
    public Gateway gateway() {
        return gateway;
    }

    /** @return the websocket-core client that reaches the backends */
    public WebSocketCoreClient webSocketClient() {
        return client;
    }

    @Override
    protected void doStart() throws Exception {
        if (ownsClient && getServer() != null && getServer().getThreadPool() != null && !client.isStarted()) {
            // One pool for both sides of every pair: a backend frame and a client frame are relayed by the
            // same threads, with one set of reserved threads, instead of two pools that both grow.
            client.getHttpClient().setExecutor(getServer().getThreadPool());
        }
        flow = new PassthroughFlow(gateway, new JettyBackendConnector(client),
                WebSocketServerComponents.ensureWebSocketComponents(getServer()));
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        gateway.shutdown();
        super.doStop();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (getHandler() != null && gateway.route(path).isEmpty()) {
            return super.handle(request, response, callback);
        }
        flow.start(request, response, callback, path);
        return true;
    }

    /** Non-blocking: no step of the flow waits; a wrapped handler's own type is combined in. */
    @Override
    public InvocationType getInvocationType() {
        Handler next = getHandler();
        return next == null ? InvocationType.NON_BLOCKING
                : Invocable.combine(InvocationType.NON_BLOCKING, next.getInvocationType());
    }

    /** Builds a {@link WsGateHandler}; not thread-safe. */
    public static final class Builder {
        private final GatewayConfig config;
        private final Gateway gateway;
        private Handler next;
        private WebSocketCoreClient client;
        private KeyStore trustStore;
        private boolean verifyHostname = true;

        private Builder(GatewayConfig config, Gateway gateway) {
            this.config = config;
            this.gateway = gateway;
        }

        /** Sets the handler that gets requests no API matches (default: none, they get 404). */
        public Builder next(Handler handler) {
            this.next = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * Uses a websocket-core client the application manages (starts and stops) instead of one
         * the handler owns; its TLS settings, resolver, connect timeout and bind address then apply
         * to backend connections. Backends are reached directly: a proxy in its {@code HttpClient}'s
         * proxy configuration makes the handler refuse to start (IllegalStateException).
         */
        public Builder webSocketClient(WebSocketCoreClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /** Sets the trust store that wss backends' certificates are checked against (default: the JVM's). */
        public Builder backendTrustStore(KeyStore trustStore) {
            this.trustStore = Objects.requireNonNull(trustStore, "trustStore");
            return this;
        }

        /** Sets whether a wss backend's certificate must name its host (default: true; turn off only in tests). */
        public Builder backendHostnameVerification(boolean verify) {
            this.verifyHostname = verify;
            return this;
        }

        /** @return the handler */
        public WsGateHandler build() {
            if (client != null && trustStore != null) {
                throw new IllegalStateException("backendTrustStore applies to the handler's own client only;"
                        + " configure the TLS of the client given to webSocketClient(...) instead");
            }
            return new WsGateHandler(this);
        }
    }
}
