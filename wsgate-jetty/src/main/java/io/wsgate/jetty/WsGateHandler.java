package io.wsgate.jetty;

import io.wsgate.core.Gateway;
import io.wsgate.core.GatewayConfig;
import io.wsgate.jetty.internal.backend.BackendClient;
import io.wsgate.jetty.internal.backend.JettyBackendConnector;
import io.wsgate.jetty.internal.DrainOnStop;
import io.wsgate.jetty.internal.PassthroughFlow;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;

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
    private final BackendClient client;
    private final DrainOnStop drain;
    private volatile PassthroughFlow flow;

    private WsGateHandler(Builder b) {
        super(b.next);
        this.gateway = b.gateway();
        this.client = b.backendClientFor();
        this.drain = b.drainOnStop(gateway);
        addManaged(client);
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

    @Override
    protected void doStart() throws Exception {
        if (getServer() != null && getServer().getThreadPool() != null) {
            // One pool for both sides of every pair: a backend frame and a client frame are relayed by the
            // same threads, with one set of reserved threads, instead of two pools that both grow.
            client.useExecutor(getServer().getThreadPool());
        }
        flow = new PassthroughFlow(gateway, new JettyBackendConnector(client),
                WebSocketServerComponents.ensureWebSocketComponents(getServer()));
        drain.install(getServer());
        super.doStart();
    }

    /**
     * Drains the gateway (see {@link GatewayBuilder#drain}), blocking until every pair has ended or the drain's
     * window and timeout passed, then stops the backend client. When the server stops, the drain has already run
     * as it began stopping, while the connections were open (a server closes them before it stops its handlers).
     * The gateway stays drained: a handler started again answers 503 {@code GATEWAY_DRAINING}.
     */
    @Override
    protected void doStop() throws Exception {
        drain.drainAndWait();
        drain.uninstall();
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
    public static final class Builder extends GatewayBuilder<Builder> {
        private Handler next;

        private Builder(GatewayConfig config, Gateway gateway) {
            super(config, gateway);
        }

        /** Sets the handler that gets requests no API matches (default: none, they get 404). */
        public Builder next(Handler handler) {
            this.next = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** @return the handler */
        public WsGateHandler build() {
            return new WsGateHandler(this);
        }
    }
}
