package io.wsgate.jetty.internal;

import io.wsgate.api.HandshakeRequest;
import io.wsgate.api.Headers;
import io.wsgate.core.Admission;
import io.wsgate.core.ErrorResponse;
import io.wsgate.core.Exchange;
import io.wsgate.core.Gateway;
import io.wsgate.core.PairRelay;
import io.wsgate.core.Peer;
import io.wsgate.core.Scheduler;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.WebSocketCoreSession;
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
        SideFrameHandler backend = new SideFrameHandler(Peer.BACKEND, admitted.limits(), components.getExecutor(), null);
        connector.connect(admitted.backend(), admitted.limits(), backend).whenComplete((session, failure) -> {
            if (failure != null) {
                Throwable f = failure.getCause() != null && !(failure instanceof JettyBackendConnector.BackendFailureException)
                        ? failure.getCause() : failure;
                io.wsgate.core.BackendFailure why = f instanceof JettyBackendConnector.BackendFailureException bfe
                        ? bfe.failure() : new io.wsgate.core.BackendFailure.Unreachable(f);
                Optional<Admission.Admitted> next = exchange.nextBackend(admitted, why);
                if (next.isPresent()) {
                    connectBackend(exchange, next.get(), request, response, callback);
                    return;
                }
                writeError(response, callback, exchange.backendFailed(why));
            } else {
                upgradeClient(exchange, admitted, session, backend, request, response, callback);
            }
        });
    }

    private void upgradeClient(Exchange exchange, Admission.Admitted admitted, CoreSession backendSession,
                               SideFrameHandler backend, Request request, Response response, Callback callback) {
        String subprotocol = backendSession.getNegotiatedSubProtocol() == null ? "" : backendSession.getNegotiatedSubProtocol();
        SideFrameHandler client = new SideFrameHandler(Peer.CLIENT, admitted.limits(), components.getExecutor(),
                opened -> establish(exchange, admitted, subprotocol, opened, backend));
        Negotiator negotiator = new Negotiator(subprotocol, client);
        Callback upgraded = Callback.from(callback::succeeded, x -> {
            clientUpgradeFailed(exchange, backendSession, x);
            callback.failed(x);
        });
        boolean done;
        try {
            done = handshaker.upgradeRequest(negotiator, SelectorReads.upgradeRequest(request, negotiator::session),
                    response, upgraded, components, null);
        } catch (Throwable x) {
            LOG.debug("request {}: client upgrade failed", exchange.requestId(), x);
            clientUpgradeFailed(exchange, backendSession, x);
            if (!response.isCommitted()) {
                Response.writeError(request, response, callback, 500);
            } else {
                callback.failed(x);
            }
            return;
        }
        if (!done) {
            clientUpgradeFailed(exchange, backendSession, null);
            Response.writeError(request, response, callback, 400);
        }
    }

    private static void clientUpgradeFailed(Exchange exchange, CoreSession backendSession, Throwable cause) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("request {}: client upgrade failed after the backend connected", exchange.requestId(), cause);
        }
        backendSession.close(1001, "Client went away", Callback.NOOP);
        exchange.abandon("client upgrade failed");
    }

    private void establish(Exchange exchange, Admission.Admitted admitted, String subprotocol, SideFrameHandler client,
                           SideFrameHandler backend) {
        PairRelay relay;
        try {
            Scheduler scheduler = gateway.config().scheduler();
            relay = exchange.establish(subprotocol, admitted.backend().uri(), new JettySide(client, scheduler),
                    new JettySide(backend, scheduler));
        } catch (RuntimeException e) {
            LOG.debug("request {}: pair not established", exchange.requestId(), e);
            client.session().close(1011, "", Callback.NOOP);
            backend.session().close(1001, "", Callback.NOOP);
            return;
        }
        backend.attach(relay);
        client.attach(relay);
        backend.demand();
        client.demand();
    }

    /** Accepts the backend's subprotocol, negotiates no extension, hands over the client-side frame handler. */
    private static final class Negotiator implements WebSocketNegotiator {
        private final String subprotocol;
        private final FrameHandler handler;
        private WebSocketCoreSession session;

        Negotiator(String subprotocol, FrameHandler handler) {
            this.subprotocol = subprotocol;
            this.handler = handler;
        }

        @Override
        public FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
            response.setAcceptedSubProtocol(subprotocol.isEmpty() ? null : subprotocol);
            response.setExtensions(List.of());
            return handler;
        }

        @Override
        public void customize(Configuration configurable) {
            if (configurable instanceof WebSocketCoreSession s) {
                session = s;
            }
            configurable.setAutoFragment(false);
            configurable.setInputBufferSize(JettyTuning.INPUT_BUFFER_SIZE);
        }

        /** @return the client's session, once the handshaker has created it */
        WebSocketCoreSession session() {
            return session;
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
        return new HandshakeRequest(request.getMethod(), path == null ? "/" : path, query == null ? "" : query,
                headers.build(), client, request.isSecure(), subprotocols);
    }
}
