package io.wsgate.bench.driver;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The driver's Jetty clients: one per source address (127.0.0.1, .2, ...), each with one
 * selector and a small thread pool, since the driver has a single core.
 */
public final class Clients implements AutoCloseable {

    private final List<WebSocketCoreClient> clients = new ArrayList<>();
    private final QueuedThreadPool pool;

    /**
     * @param sourceAddresses how many 127.0.0.x source addresses to spread connections over
     *                        (1 = let the kernel pick, as usual)
     * @throws Exception when a client cannot start
     */
    public Clients(int sourceAddresses) throws Exception {
        this(sourceAddresses, java.time.Duration.ofSeconds(10));
    }

    /**
     * @param sourceAddresses as {@link #Clients(int)}
     * @param connectTimeout  how long a TCP connect may take (the storm mode waits out the kernel's SYN retries)
     * @throws Exception when a client cannot start
     */
    public Clients(int sourceAddresses, java.time.Duration connectTimeout) throws Exception {
        pool = new QueuedThreadPool(16, 2);
        pool.setName("driver");
        // No reserved threads: the selector thread then runs the (non-blocking) WebSocket reads itself
        // instead of handing the selector to a reserved thread on every wake-up; measured 84% vs 96%
        // driver CPU for 18% more echoes on one core.
        pool.setReservedThreads(Integer.getInteger("wsgate.bench.reservedThreads", 0));
        pool.start();
        for (int i = 0; i < sourceAddresses; i++) {
            ClientConnector connector = new ClientConnector();
            connector.setSelectors(1);
            connector.setExecutor(pool);
            HttpClient http = new HttpClient(new HttpClientTransportOverHTTP(connector));
            http.setExecutor(pool);
            http.setMaxConnectionsPerDestination(30_000);
            http.setMaxRequestsQueuedPerDestination(30_000);
            http.setConnectTimeout(connectTimeout.toMillis());
            http.setFollowRedirects(false);
            http.setUserAgentField(null);
            if (sourceAddresses > 1) {
                http.setBindAddress(new InetSocketAddress("127.0.0." + (i + 1), 0));
            }
            WebSocketCoreClient client = new WebSocketCoreClient(http, null);
            client.start();
            clients.add(client);
        }
    }

    /** @return the client for the i-th connection (round robin over the source addresses) */
    public WebSocketCoreClient get(int i) {
        return clients.get(Math.floorMod(i, clients.size()));
    }

    @Override
    public void close() throws Exception {
        for (WebSocketCoreClient client : clients) {
            client.stop();
            client.getHttpClient().stop();
        }
        pool.stop();
    }
}
