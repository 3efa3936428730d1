package io.wsgate.jetty.internal.dedicated;

import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.Gateway;
import io.wsgate.core.Scheduler;
import io.wsgate.jetty.internal.backend.JettyBackendConnector;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;

/**
 * What every connection of one dedicated connector shares: the gateway, how backends are reached, and the HTTP
 * limits its requests are parsed with. Immutable; used by the connections' threads.
 */
public final class UpgradeRequests {

    private final Gateway gateway;
    private final JettyBackendConnector backends;
    private final HttpConfiguration http;

    /**
     * @param gateway  the engine
     * @param backends how backends are reached (given its relay executor and scheduler)
     * @param http     the header size, HTTP and URI compliance the requests are read with
     */
    public UpgradeRequests(Gateway gateway, JettyBackendConnector backends, HttpConfiguration http) {
        this.gateway = gateway;
        this.backends = backends;
        this.http = http;
    }

    /** @return a parser for one connection's request, with the configuration's limits, as an HTTP connection's */
    HttpParser newParser(HttpParser.RequestHandler handler) {
        HttpParser parser = new HttpParser(handler, http.getRequestHeaderSize(), http.getHttpCompliance());
        parser.setHeaderCacheSize(http.getHeaderCacheSize());
        parser.setHeaderCacheCaseSensitive(http.isHeaderCacheCaseSensitive());
        return parser;
    }

    /** @return the URI compliance a request target must meet */
    UriCompliance uriCompliance() {
        return http.getUriCompliance();
    }

    /** @return the scheduler of the gateway's timers (the relay's close handshake) */
    Scheduler scheduler() {
        return gateway.config().scheduler();
    }

    /** Hands one request to the gateway, which answers it through the connection (a {@code ClientHandshake}). */
    void handshake(HandshakeRequest request, String pathInMount, UpgradeRequestConnection client) {
        gateway.handshake(request, pathInMount, client, backends);
    }
}
