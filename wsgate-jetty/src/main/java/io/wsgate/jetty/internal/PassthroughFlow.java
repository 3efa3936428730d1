package io.wsgate.jetty.internal;

import io.wsgate.api.HandshakeRequest;
import io.wsgate.api.Headers;
import io.wsgate.core.transport.Admission;
import io.wsgate.core.transport.ErrorResponse;
import io.wsgate.core.Exchange;
import io.wsgate.core.Gateway;
import io.wsgate.core.transport.PairRelay;
import io.wsgate.core.transport.Peer;
import io.wsgate.core.Scheduler;
import io.wsgate.jetty.internal.relay.RelayConnection;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.TunnelSupport;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.server.Handshaker;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The passthrough flow on Jetty for one client request: validate, run the policies, connect the
 * backend, and only after the backend's 101 upgrade the client and establish the pair. No thread
 * waits: each step runs from the completion of the previous one; {@link #start} returns at once.
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
        this.connector = connector;
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
        Exchange exchange;
        try {
            exchange = gateway.exchange(handshakeRequest(request), pathInMount);
        } catch (RuntimeException e) {
            LOG.warn("could not read the handshake request", e);
            Response.writeError(request, response, callback, 400);
            return;
        }
        Optional<ErrorResponse> invalid;
        try {
            invalid = exchange.validate();
        } catch (RuntimeException e) {
            LOG.warn("request {}: validation failed", exchange.requestId(), e);
            exchange.abandon("validation failed");
            Response.writeError(request, response, callback, 500);
            return;
        }
        if (invalid.isPresent()) {
            writeError(response, callback, invalid.get());
            return;
        }
        exchange.admit().whenComplete((admission, failure) -> {
            if (failure != null) {
                LOG.warn("request {}: policy chain failed", exchange.requestId(), failure);
                exchange.abandon("policy chain failed");
                Response.writeError(request, response, callback, 500);
            } else if (admission instanceof Admission.Refused refused) {
                writeError(response, callback, refused.response());
            } else if (admission instanceof Admission.Admitted admitted) {
                connectBackend(exchange, admitted, request, response, callback);
            }
        });
    }

    private void connectBackend(Exchange exchange, Admission.Admitted admitted, Request request, Response response,
                                Callback callback) {
        ByteBufferPool buffers = connector.client().getHttpClient().getByteBufferPool();
        Scheduler scheduler = gateway.config().scheduler();
        Function<EndPoint, RelayConnection> side = endPoint -> new RelayConnection(endPoint, Peer.BACKEND,
                admitted.limits(), buffers, components.getExecutor(), scheduler, null);
        connector.connect(admitted.backend(), admitted.limits(), side).whenComplete((upgraded, failure) -> {
            if (failure instanceof IllegalArgumentException bad) {
                // the policies made a request HTTP cannot carry: the gateway's fault, and the same for every backend
                writeError(response, callback, exchange.backendRequestInvalid(bad.getMessage()));
            } else if (failure != null) {
                Throwable f = failure.getCause() != null && !(failure instanceof JettyBackendConnector.BackendFailureException)
                        ? failure.getCause() : failure;
                io.wsgate.core.transport.BackendFailure why = f instanceof JettyBackendConnector.BackendFailureException bfe
                        ? bfe.failure() : new io.wsgate.core.transport.BackendFailure.Unreachable(f);
                Optional<Admission.Admitted> next = exchange.nextBackend(admitted, why);
                if (next.isPresent()) {
                    connectBackend(exchange, next.get(), request, response, callback);
                    return;
                }
                writeError(response, callback, exchange.backendFailed(why));
            } else {
                upgradeClient(exchange, admitted, upgraded, request, response, callback);
            }
        });
    }

    private void upgradeClient(Exchange exchange, Admission.Admitted admitted, JettyBackendConnector.Upgraded upgraded,
                               Request request, Response response, Callback callback) {
        RelayConnection backend = upgraded.connection();
        String subprotocol = upgraded.subprotocol();
        Scheduler scheduler = gateway.config().scheduler();
        ByteBufferPool buffers = request.getConnectionMetaData().getConnector().getByteBufferPool();
        Function<EndPoint, RelayConnection> side = endPoint -> new RelayConnection(endPoint, Peer.CLIENT,
                admitted.limits(), buffers, components.getExecutor(), scheduler,
                opened -> establish(exchange, subprotocol, admitted, opened, backend));
        Negotiator negotiator = new Negotiator(subprotocol);
        Callback written = Callback.from(callback::succeeded, x -> {
            clientUpgradeFailed(exchange, backend, x);
            callback.failed(x);
        });
        boolean done;
        try {
            done = handshaker.upgradeRequest(negotiator, RelayUpgrades.clientRequest(request, side),
                    response, written, components, null);
        } catch (Throwable x) {
            LOG.debug("request {}: client upgrade failed", exchange.requestId(), x);
            clientUpgradeFailed(exchange, backend, x);
            if (!response.isCommitted()) {
                Response.writeError(request, response, callback, 500);
            } else {
                callback.failed(x);
            }
            return;
        }
        if (!done) {
            clientUpgradeFailed(exchange, backend, null);
            Response.writeError(request, response, callback, 400);
        }
    }

    private static void clientUpgradeFailed(Exchange exchange, RelayConnection backend, Throwable cause) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("request {}: client upgrade failed after the backend connected", exchange.requestId(), cause);
        }
        backend.close(1001, "Client went away");
        // in no pair: read only for the backend's answer to the close
        backend.demand();
        exchange.abandon("client upgrade failed");
    }

    private void establish(Exchange exchange, String subprotocol, Admission.Admitted admitted, RelayConnection client,
                           RelayConnection backend) {
        PairRelay relay;
        try {
            relay = exchange.establish(subprotocol, admitted.backend().uri(), client, backend);
        } catch (RuntimeException e) {
            LOG.debug("request {}: pair not established", exchange.requestId(), e);
            client.close(1011, "");
            backend.close(1001, "");
            // in no pair: read only for the answers to the closes
            client.demand();
            backend.demand();
            return;
        }
        backend.attach(relay);
        client.attach(relay);
        backend.demand();
        client.demand();
    }

    /**
     * Accepts the backend's subprotocol and negotiates no extension. The session websocket-core makes
     * for its answer is never opened: the connection it would run on is replaced by a
     * {@link RelayConnection} ({@link RelayUpgrades#clientRequest}).
     */
    private static final class Negotiator implements WebSocketNegotiator {
        private final String subprotocol;

        Negotiator(String subprotocol) {
            this.subprotocol = subprotocol;
        }

        @Override
        public FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
            response.setAcceptedSubProtocol(subprotocol.isEmpty() ? null : subprotocol);
            response.setExtensions(List.of());
            return RelayUpgrades.UNUSED_HANDLER;
        }
    }

    /**
     * Writes an error response.
     *
     * @param response the response
     * @param callback completed when written
     * @param error    what to write
     */
    public static void writeError(Response response, Callback callback, ErrorResponse error) {
        if (response.isCommitted()) {
            callback.failed(new IllegalStateException("response already committed"));
            return;
        }
        response.setStatus(error.status());
        HttpFields.Mutable headers = response.getHeaders();
        error.headers().forEach(headers::add);
        byte[] body = error.bodyBytes();
        headers.put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
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
            headers.add("Sec-WebSocket-Key", BackendHandshake.newKey());
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
                query == null ? "" : query, headers.build(), client, request.isSecure(), subprotocols);
    }

    /** @return whether the request is a WebSocket handshake over HTTP/2 (RFC 8441's extended CONNECT) */
    static boolean isWebSocketOverHttp2(Request request) {
        TunnelSupport tunnel = request.getTunnelSupport();
        return HttpMethod.CONNECT.is(request.getMethod()) && HttpVersion.HTTP_2.is(request.getConnectionMetaData().getProtocol())
                && tunnel != null && "websocket".equalsIgnoreCase(tunnel.getProtocol());
    }
}
