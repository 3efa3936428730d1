package io.wsgate.jetty;

import io.wsgate.core.DrainOptions;
import io.wsgate.core.Gateway;
import io.wsgate.core.GatewayConfig;
import io.wsgate.core.GatewayListener;
import io.wsgate.jetty.internal.DrainOnStop;
import io.wsgate.jetty.internal.backend.BackendClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link WsGateHandler.Builder}, {@link WsGateServlet.Builder} and {@link WsGateConnectionFactory.Builder} have
 * in common: the engine (made from a configuration, or one the application made), the listeners that hear it, how
 * backends are reached, and how the gateway drains when it stops.
 * Not thread-safe.
 *
 * @param <B> the concrete builder
 */
public abstract class GatewayBuilder<B extends GatewayBuilder<B>> {

    private final GatewayConfig config;
    private final Gateway gateway;
    private final List<GatewayListener> listeners = new ArrayList<>();
    private BackendClientOptions backendClient = BackendClientOptions.ofDefaults();
    private DrainOptions drain;

    GatewayBuilder(GatewayConfig config, Gateway gateway) {
        this.config = config;
        this.gateway = gateway;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * Adds a listener that hears every handshake and pair event of the gateway (metrics, for instance);
     * listeners are called in the order they were added, and one that throws harms nothing.
     *
     * @param listener the listener
     * @return this builder
     * @throws IllegalStateException at {@code build()} when the builder was given a {@link Gateway} already made:
     *                               its listeners were fixed when it was created ({@link Gateway#create(GatewayConfig, List)})
     */
    public B listener(GatewayListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return self();
    }

    /**
     * Sets how backends are reached (default {@link BackendClientOptions#ofDefaults()}: a connector of the
     * gateway's own, the JVM's trust store).
     *
     * @param options the options
     * @return this builder
     */
    public B backendClient(BackendClientOptions options) {
        this.backendClient = Objects.requireNonNull(options, "options");
        return self();
    }

    /**
     * Sets how the gateway drains when the Handler, the Servlet or the connection factory stops (default: the
     * gateway configuration's
     * {@link GatewayConfig#drain()}, read when the stop comes): the stop blocks until every pair has ended,
     * at most the options' window and timeout.
     *
     * @param options the options
     * @return this builder
     */
    public B drain(DrainOptions options) {
        this.drain = Objects.requireNonNull(options, "options");
        return self();
    }

    /** @return drains the gateway when the server stops, with the options set here or its configuration's */
    DrainOnStop drainOnStop(Gateway g) {
        DrainOptions set = drain;
        return new DrainOnStop(g, () -> set != null ? set : g.config().drain());
    }

    /** @return the engine: the one given, or a new one with the listeners */
    Gateway gateway() {
        if (gateway != null) {
            if (!listeners.isEmpty()) {
                throw new IllegalStateException("listeners cannot be added to a Gateway already made:"
                        + " give them to Gateway.create(config, listeners) instead");
            }
            return gateway;
        }
        return Gateway.create(config, listeners);
    }

    /** @return what backends are reached with, from the options */
    BackendClient backendClientFor() {
        BackendClientOptions o = backendClient;
        return o.connector().isPresent() ? BackendClient.on(o.connector().get())
                : BackendClient.owned(o.trustStore().orElse(null), o.hostnameVerification(), o.connectTimeout());
    }
}
