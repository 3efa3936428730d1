package io.wsgate.jetty.internal.backend;

import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * What the gateway reaches its backends with: a Jetty {@link ClientConnector} (its selectors, TLS, connect
 * timeout, executor, scheduler and buffers) and a resolver for backend host names. No HTTP client: the
 * backend handshake is the gateway's own ({@link BackendHandshake}). A started component; a connector the
 * application manages is used, never started or stopped.
 */
public final class BackendClient extends ContainerLifeCycle {

    /** How long a backend host name may take to resolve (as Jetty's HTTP client's default). */
    private static final long RESOLUTION_TIMEOUT_MS = 15_000;

    private final ClientConnector connector;
    private final boolean owned;
    private final SocketAddressResolver resolver;

    private BackendClient(ClientConnector connector, boolean owned) {
        this.connector = connector;
        this.owned = owned;
        // looked up at each resolution: the connector's executor and scheduler exist once it has started
        this.resolver = new LiteralFirstResolver(
                () -> new SocketAddressResolver.Async(connector.getExecutor(), connector.getScheduler(), RESOLUTION_TIMEOUT_MS));
        if (owned) {
            addManaged(connector);
        } else {
            addBean(connector, false);
        }
    }

    /**
     * @param trustStore     the trust store for wss backends; null for the JVM's default
     * @param verifyHostname whether a wss backend's certificate must match its host name
     * @param connectTimeout how long a backend may take to accept a TCP connection
     * @return a client on a connector of its own, not started
     */
    public static BackendClient owned(KeyStore trustStore, boolean verifyHostname, Duration connectTimeout) {
        SslContextFactory.Client tls = new SslContextFactory.Client();
        if (trustStore != null) {
            tls.setTrustStore(trustStore);
        }
        tls.setEndpointIdentificationAlgorithm(verifyHostname ? "HTTPS" : null);
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(tls);
        connector.setConnectTimeout(connectTimeout);
        connector.setByteBufferPool(new ArrayByteBufferPool());
        return new BackendClient(connector, true);
    }

    /**
     * @param connector a connector the application manages (starts and stops)
     * @return a client on it
     */
    public static BackendClient on(ClientConnector connector) {
        return new BackendClient(connector, false);
    }

    /**
     * Runs the connector's selectors and callbacks on the given pool (the server's: one pool for both sides of
     * every pair); only for a connector the gateway owns, before it starts.
     *
     * @param executor the pool
     */
    public void useExecutor(Executor executor) {
        if (owned && !connector.isStarted()) {
            connector.setExecutor(executor);
        }
    }

    /** @return the connector */
    public ClientConnector connector() {
        return connector;
    }

    /** @return the resolver of backend host names (IP literals without a lookup) */
    public SocketAddressResolver resolver() {
        return resolver;
    }

    /** @return true when the gateway made the connector (and starts and stops it) */
    public boolean owned() {
        return owned;
    }
}
