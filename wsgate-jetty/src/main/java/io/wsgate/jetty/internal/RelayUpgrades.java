package io.wsgate.jetty.internal;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.WebSocketConnection;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.EventListener;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Puts a {@link RelayConnection} on an end point where Jetty's handshakes would put a
 * websocket-core {@link WebSocketConnection}. Jetty still does both handshakes (the client's
 * upgrade request, the backend's 101) and all their checks; only what runs on the connection
 * afterwards is the gateway's.
 */
final class RelayUpgrades {

    private RelayUpgrades() {
    }

    /**
     * What websocket-core is given as a session's handler, on either side. The session is never
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
     * Wraps the client's request so that the connection Jetty's handshaker makes for it (HTTP/1.1
     * and HTTP/2 alike: both hand it over as the request's upgrade attribute) is replaced by a
     * relay connection on the same end point.
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
                    listen(relay, getConnectionMetaData().getConnector().getEventListeners());
                    value = relay;
                }
                return super.setAttribute(name, value);
            }
        };
    }

    /**
     * An end point to hand to the backend client's upgrade: everything goes to {@code endPoint},
     * except that the websocket-core connection it is upgraded to is replaced by a relay
     * connection (the client builds its connection on the end point it is given, and upgrades
     * that end point: websocket-core offers no other place to put one's own).
     *
     * @param endPoint  the backend connection's end point (TCP or TLS)
     * @param side      makes the backend side's connection on it
     * @param listeners the connection listeners of the backend client
     * @param made      told the connection once it is installed
     * @return the end point to upgrade
     */
    static EndPoint backendEndPoint(EndPoint endPoint, Function<EndPoint, RelayConnection> side,
                                    Iterable<? extends EventListener> listeners, Consumer<RelayConnection> made) {
        return (EndPoint) Proxy.newProxyInstance(EndPoint.class.getClassLoader(), new Class<?>[] {EndPoint.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("upgrade") && args != null && args.length == 1
                            && args[0] instanceof Connection) {
                        RelayConnection relay = side.apply(endPoint);
                        listen(relay, listeners);
                        endPoint.upgrade(relay);
                        made.accept(relay);
                        return null;
                    }
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "equals" -> proxy == args[0];
                            case "hashCode" -> System.identityHashCode(proxy);
                            default -> "Upgrading[" + endPoint + "]";
                        };
                    }
                    try {
                        return method.invoke(endPoint, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static void listen(Connection connection, Iterable<? extends EventListener> listeners) {
        for (EventListener l : listeners) {
            connection.addEventListener(l);
        }
    }
}
