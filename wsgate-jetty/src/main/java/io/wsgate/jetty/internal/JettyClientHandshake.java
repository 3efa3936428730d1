package io.wsgate.jetty.internal;

import io.wsgate.api.ApiLimits;
import io.wsgate.core.Scheduler;
import io.wsgate.core.transport.ClientHandshake;
import io.wsgate.core.transport.ErrorResponse;
import io.wsgate.core.transport.Peer;
import io.wsgate.core.transport.TransportSide;
import io.wsgate.jetty.internal.relay.RelayConnection;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.server.Handshaker;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The client port of one Jetty request: writes the gateway's error response, or has Jetty's
 * {@link Handshaker} write the 101 (HTTP/1.1) or 200 (an HTTP/2 stream) and puts a
 * {@link RelayConnection} on the upgraded end point in place of websocket-core's connection.
 * It decides nothing: the gateway calls it once, when it has decided.
 */
final class JettyClientHandshake implements ClientHandshake {

    private static final Logger LOG = LoggerFactory.getLogger(JettyClientHandshake.class);

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final Handshaker handshaker;
    private final WebSocketComponents components;
    private final Scheduler scheduler;

    JettyClientHandshake(Request request, Response response, Callback callback, Handshaker handshaker,
                         WebSocketComponents components, Scheduler scheduler) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.handshaker = handshaker;
        this.components = components;
        this.scheduler = scheduler;
    }

    @Override
    public void reject(ErrorResponse error) {
        writeError(response, callback, error);
    }

    @Override
    public CompletionStage<TransportSide> upgrade(String subprotocol, ApiLimits limits) {
        CompletableFuture<TransportSide> opened = new CompletableFuture<>();
        Function<EndPoint, RelayConnection> side = endPoint -> new RelayConnection(endPoint, Peer.CLIENT, limits,
                request.getConnectionMetaData().getConnector().getByteBufferPool(), components.getExecutor(),
                scheduler, opened::complete);
        Callback written = Callback.from(callback::succeeded, x -> {
            opened.completeExceptionally(x);
            callback.failed(x);
        });
        boolean done;
        try {
            done = handshaker.upgradeRequest(new Negotiator(subprotocol), RelayUpgrades.clientRequest(request, side),
                    response, written, components, null);
        } catch (Throwable x) {
            LOG.debug("client upgrade failed", x);
            if (!response.isCommitted()) {
                Response.writeError(request, response, callback, 500);
            } else {
                callback.failed(x);
            }
            opened.completeExceptionally(x);
            return opened;
        }
        if (!done) {
            // the gateway's own check accepts nothing Jetty's handshaker refuses; should they ever disagree,
            // this is the gateway's fault, not the client's
            LOG.warn("Jetty's handshaker refused an upgrade the gateway's check accepted; answering 500");
            Response.writeError(request, response, callback, 500);
            opened.completeExceptionally(new IllegalStateException("the upgrade was refused by Jetty's handshaker"));
        }
        return opened;
    }

    /**
     * Writes an error response.
     *
     * @param response the response
     * @param callback completed when written
     * @param error    what to write
     */
    static void writeError(Response response, Callback callback, ErrorResponse error) {
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
}
