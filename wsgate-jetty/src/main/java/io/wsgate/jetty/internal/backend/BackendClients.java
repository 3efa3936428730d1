package io.wsgate.jetty.internal.backend;

import io.wsgate.jetty.internal.JettyTuning;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;

import java.security.KeyStore;
import java.util.concurrent.Executor;

/**
 * Makes the websocket-core client a gateway owns for its backends. Only its HTTP client's connector,
 * TLS settings, resolver, executor, scheduler and buffer pool are used ({@link JettyBackendConnector}).
 */
public final class BackendClients {

    private BackendClients() {
    }

    /**
     * @param trustStore     the trust store for wss backends; null for the JVM's default
     * @param verifyHostname whether a wss backend's certificate must match its host name
     * @return a client, not started
     */
    public static WebSocketCoreClient create(KeyStore trustStore, boolean verifyHostname) {
        SslContextFactory.Client tls = new SslContextFactory.Client();
        if (trustStore != null) {
            tls.setTrustStore(trustStore);
        }
        tls.setEndpointIdentificationAlgorithm(verifyHostname ? "HTTPS" : null);
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(tls);
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("wsgate-backend");
        HttpClient http = new HttpClient(new org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP(connector));
        http.setExecutor(threads);
        http.setFollowRedirects(false);
        // no proxy, pool or cookie store settings: backend handshakes use only the client's connector (BackendHandshake)
        http.setSocketAddressResolver(new JettyTuning.LiteralFirstResolver(
                () -> new SocketAddressResolver.Async(http.getExecutor(), http.getScheduler(), http.getAddressResolutionTimeout())));
        ArrayByteBufferPool pool = new ArrayByteBufferPool();
        http.setByteBufferPool(pool);
        // the executor is looked up at each use: the gateway may hand the client its server's pool before starting
        Executor executor = task -> http.getExecutor().execute(task);
        // the client's own components would start a thread pool of their own that nothing uses
        WebSocketCoreClient client = new WebSocketCoreClient(http,
                new WebSocketComponents(null, null, pool, null, null, executor));
        return client;
    }
}
