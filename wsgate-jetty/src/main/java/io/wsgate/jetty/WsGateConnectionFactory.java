package io.wsgate.jetty;

import io.wsgate.core.Gateway;
import io.wsgate.core.GatewayConfig;
import io.wsgate.jetty.internal.DrainOnStop;
import io.wsgate.jetty.internal.backend.BackendClient;
import io.wsgate.jetty.internal.backend.JettyBackendConnector;
import io.wsgate.jetty.internal.dedicated.UpgradeRequestConnection;
import io.wsgate.jetty.internal.dedicated.UpgradeRequests;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;

import java.util.Objects;

/**
 * The gateway as a connection factory of its own: a {@link org.eclipse.jetty.server.ServerConnector} given this
 * factory serves nothing but the gateway, on a port of its own. Jetty's selector, its TLS (an
 * {@link org.eclipse.jetty.server.SslConnectionFactory} in front of this one) and its {@code HttpParser} still read
 * the bytes; the gateway reads the upgrade request and writes the 101 or the error itself, without Jetty's HTTP
 * exchange (no request, response or websocket-core handshaker is made), and the same {@link Gateway} as the
 * Handler's decides everything else: routing, checks, policies, errors, the relay.
 *
 * <pre>{@code
 * WsGateConnectionFactory gateway = WsGateConnectionFactory.builder(config).build();
 * ServerConnector connector = new ServerConnector(server, gateway);          // ws://
 * ServerConnector secure = new ServerConnector(server, sslContextFactory,    // or wss:// (TLS, then HTTP/1.1)
 *         WsGateConnectionFactory.builder(gateway.gateway()).build());
 * HandshakeDeadline.install(connector, Duration.ofSeconds(10));
 * server.addConnector(connector);
 * }</pre>
 *
 * <p>What it does not do: HTTP/2 (RFC 8441) or HTTP/1.0 upgrades (HTTP/1.1 only: with TLS, offer
 * {@code http/1.1} alone through ALPN), keep-alive (every connection carries one request: the upgrade, or an error
 * answered with {@code Connection: close}), requests for anything but the gateway (a request no API matches gets
 * the gateway's 404, one that is no WebSocket upgrade its 426), and Jetty's handlers, request logs and customizers
 * (a {@code ForwardedRequestCustomizer}, for instance: the client address is the socket's). The header size, URI
 * length and compliance limits are the {@link HttpConfiguration}'s (431, 414, 400), as on an HTTP connector; the
 * slow-handshake deadline is {@link HandshakeDeadline}'s, installed on the connector as for the Handler.
 *
 * <p>One factory serves one connector; to serve two (plain and TLS), build two from one {@link Gateway}. It starts
 * and stops with its connector: it drains the gateway when the server starts stopping.
 */
public final class WsGateConnectionFactory extends AbstractConnectionFactory implements ConnectionFactory.Configuring {

    private final Gateway gateway;
    private final BackendClient client;
    private final DrainOnStop drain;
    private final HttpConfiguration http;
    private volatile Connector connector;
    private volatile UpgradeRequests requests;

    private WsGateConnectionFactory(Builder b) {
        super(HttpVersion.HTTP_1_1.asString());
        this.gateway = b.gateway();
        this.client = b.backendClientFor();
        this.drain = b.drainOnStop(gateway);
        this.http = b.http;
        addBean(http);
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
     * @param gateway an engine already made (shared with a Handler or another factory, or to reconfigure it)
     * @return a builder
     */
    public static Builder builder(Gateway gateway) {
        return new Builder(null, Objects.requireNonNull(gateway, "gateway"));
    }

    /** @return the engine: its pairs, its counts of open pairs and pending handshakes, reconfiguration */
    public Gateway gateway() {
        return gateway;
    }

    /**
     * Called by the connector as it starts, before this factory starts: the connector's thread pool runs the
     * backend client, as it runs the relay.
     *
     * @throws IllegalStateException when the factory was given to another connector already
     */
    @Override
    public void configure(Connector on) {
        Connector was = connector;
        if (was != null && was != on) {
            throw new IllegalStateException("a WsGateConnectionFactory serves one connector; build one per connector");
        }
        connector = on;
        client.useExecutor(on.getExecutor());
    }

    @Override
    protected void doStart() throws Exception {
        Connector on = connector;
        if (on == null) {
            throw new IllegalStateException("a WsGateConnectionFactory must be given to a connector (new ServerConnector(server, factory))");
        }
        requests = new UpgradeRequests(gateway,
                new JettyBackendConnector(client).relayOn(on.getExecutor(), gateway.config().scheduler()), http);
        drain.install(on.getServer());
        super.doStart();
    }

    /**
     * Drains the gateway (see {@link GatewayBuilder#drain}), blocking until every pair has ended or the drain's
     * window and timeout passed, then stops the backend client. When the server stops, the drain has already run
     * as it began stopping, while the connections were open.
     */
    @Override
    protected void doStop() throws Exception {
        drain.drainAndWait();
        drain.uninstall();
        super.doStop();
    }

    /** Called by the connector on its selector for every accepted (or, behind TLS, decrypted) connection. */
    @Override
    public Connection newConnection(Connector on, EndPoint endPoint) {
        return configure(new UpgradeRequestConnection(on, endPoint, requests), on, endPoint);
    }

    /** Builds a {@link WsGateConnectionFactory}; not thread-safe. */
    public static final class Builder extends GatewayBuilder<Builder> {
        private HttpConfiguration http = new HttpConfiguration();

        private Builder(GatewayConfig config, Gateway gateway) {
            super(config, gateway);
        }

        /**
         * Sets the HTTP limits the upgrade request is read with (default {@code new HttpConfiguration()}): its
         * request header size (a larger header gets 431, a longer request line 414), HTTP compliance and URI
         * compliance, as Jetty's {@code HttpConnectionFactory} reads them. Its other settings do not apply.
         *
         * @param configuration the HTTP configuration (an application's own may be shared)
         * @return this builder
         */
        public Builder httpConfiguration(HttpConfiguration configuration) {
            this.http = Objects.requireNonNull(configuration, "configuration");
            return this;
        }

        /** @return the connection factory, to give to a {@code ServerConnector} */
        public WsGateConnectionFactory build() {
            return new WsGateConnectionFactory(this);
        }
    }
}
