package io.wsgate.jetty.internal;

import io.wsgate.jetty.internal.relay.RelayConnection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.WebSocketConnection;

import java.util.function.Function;

/**
 * Puts a {@link RelayConnection} on an HTTP/2 stream's end point where Jetty's server handshake (RFC 8441)
 * would put a websocket-core {@link WebSocketConnection}: Jetty still checks the client's extended CONNECT
 * and answers it; what runs on the stream afterwards is the gateway's. (On HTTP/1.1 the gateway writes the
 * 101 itself: {@link JettyClientHandshake}; the backend's handshake is the gateway's own too:
 * {@link io.wsgate.jetty.internal.backend.BackendHandshake}.)
 */
final class RelayUpgrades {

    private RelayUpgrades() {
    }

    /**
     * What websocket-core is given as the client session's handler. The session is never
     * opened: the connection Jetty would open it on is replaced by a {@link RelayConnection}.
     */
    static final FrameHandler UNUSED_HANDLER = new FrameHandler() {
        @Override
        public void onOpen(CoreSession coreSession, Callback callback) {
            callback.failed(new IllegalStateException("not a websocket-core session"));
        }

        @Override
        public void onFrame(org.eclipse.jetty.websocket.core.Frame frame, Callback callback) {
            callback.failed(new IllegalStateException("not a websocket-core session"));
        }

        @Override
        public void onError(Throwable cause, Callback callback) {
            callback.succeeded();
        }

        @Override
        public void onClosed(CloseStatus closeStatus, Callback callback) {
            callback.succeeded();
        }
    };

    /**
     * Wraps the client's request so that the connection Jetty's handshaker makes for its stream (handed
     * over as the request's upgrade attribute) is replaced by a relay connection on the same end point.
     *
     * @param request the client's upgrade request
     * @param side    makes the client side's connection on the upgraded end point
     * @return the request to hand to the handshaker
     */
    static Request clientRequest(Request request, Function<EndPoint, RelayConnection> side) {
        return new Request.Wrapper(request) {
            @Override
            public Object setAttribute(String name, Object value) {
                if (HttpStream.UPGRADE_CONNECTION_ATTRIBUTE.equals(name) && value instanceof WebSocketConnection jetty) {
                    RelayConnection relay = side.apply(jetty.getEndPoint());
                    relay.addEventListeners(getConnectionMetaData().getConnector().getEventListeners());
                    value = relay;
                }
                return super.setAttribute(name, value);
            }
        };
    }
}
