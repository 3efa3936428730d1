package io.wsgate.jetty.internal;

import io.wsgate.api.HandshakeRequest;
import io.wsgate.api.Headers;
import io.wsgate.core.Gateway;
import io.wsgate.core.transport.HandshakeRules;
import io.wsgate.jetty.internal.backend.JettyBackendConnector;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.TunnelSupport;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.server.Handshaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The passthrough flow's entry on Jetty for one client request: it presents the request to the gateway
 * as a {@link HandshakeRequest} and hands it to {@link Gateway#handshake} with the two ports, this
 * request's {@link JettyClientHandshake} and the {@link JettyBackendConnector}. The gateway decides
 * everything else (checks, policies, failover, errors); {@link #start} returns at once.
 */
public final class PassthroughFlow {

    private static final Logger LOG = LoggerFactory.getLogger(PassthroughFlow.class);

    private final Gateway gateway;
    private final JettyBackendConnector connector;
    private final WebSocketComponents components;
    private final Handshaker handshaker = Handshaker.newInstance();

    /**
     * @param gateway    the engine
     * @param connector  how backends are reached
     * @param components the server's websocket components (buffer pool, executor)
     */
    public PassthroughFlow(Gateway gateway, JettyBackendConnector connector, WebSocketComponents components) {
        this.gateway = gateway;
        this.connector = connector.relayOn(components.getExecutor(), gateway.config().scheduler());
        this.components = components;
    }

    /** @return the engine */
    public Gateway gateway() {
        return gateway;
    }

    /**
     * Takes one request through the flow; the callback completes when the response (an error or the
     * 101) has been written.
     *
     * @param request     the client's request
     * @param response    its response
     * @param callback    completed when the response is done
     * @param pathInMount the path below the gateway's mount point
     */
    public void start(Request request, Response response, Callback callback, String pathInMount) {
        HandshakeRequest handshake;
        try {
            handshake = handshakeRequest(request);
        } catch (RuntimeException e) {
            // a header the gateway's values refuse (Jetty parsed it): not a request anything can be done with
            LOG.debug("could not read the handshake request", e);
            Response.writeError(request, response, callback, 400);
            return;
        }
        gateway.handshake(handshake, pathInMount,
                new JettyClientHandshake(request, response, callback, handshaker, components, gateway.config().scheduler()),
                connector);
    }

    /**
     * @param request a Jetty request
     * @return the request as wsgate sees it
     */
    public static HandshakeRequest handshakeRequest(Request request) {
        Headers.Builder headers = Headers.builder();
        List<String> subprotocols = new ArrayList<>();
        boolean overHttp2 = isWebSocketOverHttp2(request);
        if (overHttp2) {
            // RFC 8441: an extended CONNECT with :protocol websocket, and no key. Policies and the checks see
            // its HTTP/1.1 equivalent (RFC 6455 §4.1), with a key made up for it; none of these reach the backend.
            headers.add("Upgrade", "websocket");
            headers.add("Connection", "Upgrade");
            headers.add("Sec-WebSocket-Key", HandshakeRules.newKey());
        }
        for (HttpField f : request.getHeaders()) {
            headers.add(f.getName(), f.getValue() == null ? "" : f.getValue());
            if (f.getHeader() == HttpHeader.SEC_WEBSOCKET_SUBPROTOCOL) {
                for (String p : f.getValues()) {
                    if (!p.isBlank()) {
                        subprotocols.add(p.trim());
                    }
                }
            }
        }
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        InetSocketAddress client = remote instanceof InetSocketAddress isa ? isa
                : InetSocketAddress.createUnresolved(Request.getRemoteAddr(request), Math.max(0, Request.getRemotePort(request)));
        String query = request.getHttpURI().getQuery();
        String path = request.getHttpURI().getPath();
        return new HandshakeRequest(overHttp2 ? "GET" : request.getMethod(), path == null ? "/" : path,
                query == null ? "" : query, headers.build(), client, request.isSecure(), subprotocols,
                overHttp2 ? HandshakeRequest.HTTP_2 : request.getConnectionMetaData().getHttpVersion().asString());
    }

    /** @return whether the request is a WebSocket handshake over HTTP/2 (RFC 8441's extended CONNECT) */
    static boolean isWebSocketOverHttp2(Request request) {
        TunnelSupport tunnel = request.getTunnelSupport();
        return HttpMethod.CONNECT.is(request.getMethod()) && HttpVersion.HTTP_2.is(request.getConnectionMetaData().getProtocol())
                && tunnel != null && "websocket".equalsIgnoreCase(tunnel.getProtocol());
    }
}
