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
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpStream;
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
 * The client port of one Jetty request: writes the gateway's error response, or the upgrade and puts a
 * {@link RelayConnection} on the upgraded end point: the 101 itself on HTTP/1.1; on an HTTP/2 stream,
 * Jetty's {@link Handshaker} writes the 200 and the relay takes the place of websocket-core's connection.
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
        return PassthroughFlow.isWebSocketOverHttp2(request) ? upgradeStream(subprotocol, limits)
                : switchProtocols(subprotocol, limits);
    }

    /**
     * HTTP/1.1: writes the 101 ({@link SwitchingProtocols}) and hands Jetty the relay connection as the request's
     * upgrade connection. Once the 101 is written and the exchange complete, Jetty's HTTP/1.1 stream upgrades the
     * end point to it (the bytes the client sent behind its request go to it) and opens it, which completes the
     * returned stage. Nothing else is needed: Jetty's generator writes a 1xx without a body length, and does not
     * shut the output after it when the request holds an upgrade connection. websocket-core's handshaker is not
     * used here: the gateway has checked the request, and its session, connection and extension stack would be
     * thrown away.
     */
    private CompletionStage<TransportSide> switchProtocols(String subprotocol, ApiLimits limits) {
        CompletableFuture<TransportSide> opened = new CompletableFuture<>();
        try {
            ConnectionMetaData connection = request.getConnectionMetaData();
            Connector connector = connection.getConnector();
            RelayConnection relay = new RelayConnection(connection.getConnection().getEndPoint(), Peer.CLIENT, limits,
                    connector.getByteBufferPool(), components.getExecutor(), scheduler, opened::complete);
            relay.addEventListeners(connector.getEventListeners());
            // Jetty upgrades in its stream's completion, on this stream or not at all: whatever ends the
            // exchange without an upgrade (a failed write, an abort) ends the stage too, so no backend waits
            request.addHttpStreamWrapper(stream -> new UpgradeOutcome(stream, opened));
            response.setStatus(HttpStatus.SWITCHING_PROTOCOLS_101);
            SwitchingProtocols.addTo(response.getHeaders(), request.getHeaders().get(HttpHeader.SEC_WEBSOCKET_KEY), subprotocol);
            request.setAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE, relay);
        } catch (Throwable x) {
            return failed(x, opened);
        }
        response.write(true, null, written(opened));
        return opened;
    }

    /**
     * HTTP/2 (RFC 8441): Jetty's handshaker answers 200 on the stream, and its connection is replaced by a
     * relay connection on the stream's end point ({@link RelayUpgrades#clientRequest}).
     */
    private CompletionStage<TransportSide> upgradeStream(String subprotocol, ApiLimits limits) {
        CompletableFuture<TransportSide> opened = new CompletableFuture<>();
        Function<EndPoint, RelayConnection> side = endPoint -> new RelayConnection(endPoint, Peer.CLIENT, limits,
                request.getConnectionMetaData().getConnector().getByteBufferPool(), components.getExecutor(),
                scheduler, opened::complete);
        boolean done;
        try {
            done = handshaker.upgradeRequest(new Negotiator(subprotocol), RelayUpgrades.clientRequest(request, side),
                    response, written(opened), components, null);
        } catch (Throwable x) {
            return failed(x, opened);
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

    /** @return completes the request's callback when the upgrade's response is written; a failure fails the stage too */
    private Callback written(CompletableFuture<TransportSide> opened) {
        return Callback.from(callback::succeeded, x -> {
            opened.completeExceptionally(x);
            callback.failed(x);
        });
    }

    /** The upgrade could not be prepared: 500 if nothing was written yet; the stage fails. */
    private CompletionStage<TransportSide> failed(Throwable x, CompletableFuture<TransportSide> opened) {
        LOG.debug("client upgrade failed", x);
        // the stage fails with the cause first: the error response, written inline, must not fail it with its own
        opened.completeExceptionally(x);
        if (!response.isCommitted()) {
            request.removeAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE);
            response.reset();
            Response.writeError(request, response, callback, 500);
        } else {
            callback.failed(x);
        }
        opened.completeExceptionally(x);
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
     * The HTTP/1.1 stream of an upgrade: Jetty's own completes the exchange and, when the 101 was written, upgrades
     * the end point to the relay connection and opens it, on the completing thread. If that left the stage
     * undone, there was no upgrade: the stage fails, so that the gateway closes the backend.
     */
    private static final class UpgradeOutcome extends HttpStream.Wrapper {
        private final CompletableFuture<TransportSide> opened;

        UpgradeOutcome(HttpStream stream, CompletableFuture<TransportSide> opened) {
            super(stream);
            this.opened = opened;
        }

        @Override
        public void succeeded() {
            try {
                super.succeeded();
            } finally {
                if (!opened.isDone()) {
                    opened.completeExceptionally(new IllegalStateException("the exchange completed without the upgrade"));
                }
            }
        }

        @Override
        public void failed(Throwable x) {
            try {
                super.failed(x);
            } finally {
                opened.completeExceptionally(x);
            }
        }
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
