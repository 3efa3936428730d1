package io.wsgate.jetty.internal;

import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.io.Transport;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.websocket.core.WebSocketConnection;
import org.eclipse.jetty.websocket.core.WebSocketCoreSession;

import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Reads relayed frames on the selector thread that saw them arrive, as an event-loop proxy does.
 *
 * <p>Jetty's {@link WebSocketConnection} registers read interest with a callback it declares
 * blocking, so its selector hands every readable event to another thread (a futex wake-up and a
 * cache-cold thread per frame; measured by wsgate-bench as most of the relay's CPU above the
 * socket calls on 64-byte messages). The relay never blocks: a frame read from one side is
 * enqueued on the other side's non-blocking flusher, and the next read is demanded when that
 * write completes ({@link io.wsgate.api.FrameRelay}'s contract). So the gateway declares these
 * reads non-blocking and lets the selector run them itself:
 * <ul>
 *   <li>client side: the upgrade installs a {@link ClientSideConnection} in place of Jetty's
 *   connection ({@link #upgradeRequest});</li>
 *   <li>backend side: the backend client's plain-TCP end points ({@link BackendConnector}) mark
 *   the WebSocket connection's read callback non-blocking (a {@code wss} backend keeps Jetty's TLS
 *   handling, which dispatches as before).</li>
 * </ul>
 * Nothing else runs on these threads but the relay's own non-blocking steps and the closing of a
 * pair (its access log line). A selector reads in turns of at most {@link ReadBudget#FRAMES_PER_TURN}
 * frames, so that a peer sending without pause cannot keep it from its other connections.
 */
final class SelectorReads {

    private SelectorReads() {
    }

    /**
     * Wraps the client's request so that the WebSocket connection Jetty's handshaker creates for it
     * is replaced by a {@link ClientSideConnection} over the same end point and session.
     *
     * @param request the client's upgrade request
     * @param session gives the session the handshaker created (known once the negotiator has
     *                customized it, before the connection is made)
     * @return the request to hand to the handshaker
     */
    static Request upgradeRequest(Request request, Supplier<WebSocketCoreSession> session) {
        return new Request.Wrapper(request) {
            @Override
            public Object setAttribute(String name, Object value) {
                if (HttpStream.UPGRADE_CONNECTION_ATTRIBUTE.equals(name)
                        && value instanceof WebSocketConnection jetty
                        && !(value instanceof ClientSideConnection)) {
                    WebSocketCoreSession s = session.get();
                    if (s != null) {
                        value = ClientSideConnection.replacing(jetty, s, getConnectionMetaData().getConnector());
                    }
                }
                return super.setAttribute(name, value);
            }
        };
    }

    /** The client side's connection: reads on the selector thread, demand served on the caller's. */
    static final class ClientSideConnection extends WebSocketConnection {
        private static final Executor INLINE = Runnable::run;

        private final Callback readable;

        private ClientSideConnection(EndPoint endPoint, Executor executor, Scheduler scheduler, ByteBufferPool pool,
                                     WebSocketCoreSession session) {
            super(endPoint, executor, scheduler, pool, session);
            Runnable fillable = this::onFillable;
            // a turn of reads on the selector; demands past its budget go on from the connector's pool
            readable = Callback.from(Invocable.InvocationType.NON_BLOCKING,
                    () -> ReadBudget.turn(fillable, executor), this::onFillInterestedFailed);
        }

        static ClientSideConnection replacing(WebSocketConnection jetty, WebSocketCoreSession session,
                                              Connector connector) {
            ClientSideConnection c = new ClientSideConnection(jetty.getEndPoint(), jetty.getExecutor(),
                    connector.getScheduler(), connector.getByteBufferPool(), session);
            c.setUseInputDirectByteBuffers(jetty.isUseInputDirectByteBuffers());
            c.setUseOutputDirectByteBuffers(jetty.isUseOutputDirectByteBuffers());
            connector.getEventListeners().forEach(c::addEventListener);
            session.setWebSocketConnection(c);
            return c;
        }

        @Override
        public void fillInterested() {
            fillInterested(readable);
        }

        /**
         * Jetty runs {@link #demand()} through this executor when no read is under way: the relay
         * demands from a write's completion, which never blocks, so the read resumes right there,
         * within that thread's {@link ReadBudget} turn.
         */
        @Override
        public Executor getExecutor() {
            return INLINE;
        }
    }

    /**
     * The backend client's connector: its plain-TCP end points run a WebSocket connection's reads on
     * the selector thread.
     */
    static final class BackendConnector extends ClientConnector {
        @Override
        protected EndPoint newEndPoint(SelectableChannel selectable, ManagedSelector selector, SelectionKey key) {
            if (key.attachment() instanceof Map<?, ?> context && context.get(Transport.CONTEXT_KEY) == Transport.TCP_IP
                    && selectable instanceof SocketChannel channel) {
                return new BackendEndPoint(channel, selector, key, getScheduler(), getExecutor());
            }
            return super.newEndPoint(selectable, selector, key);
        }
    }

    /** Marks the read callback of the WebSocket connection it carries as non-blocking. */
    static final class BackendEndPoint extends SocketChannelEndPoint {
        /** the connection's read callback and its non-blocking wrapper, in one field: read without a lock */
        private volatile Callback[] wrapped;

        private final Executor pool;

        BackendEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler,
                        Executor pool) {
            super(channel, selector, key, scheduler);
            this.pool = pool;
        }

        @Override
        public void fillInterested(Callback callback) {
            super.fillInterested(relayRead(callback));
        }

        @Override
        public boolean tryFillInterested(Callback callback) {
            return super.tryFillInterested(relayRead(callback));
        }

        private Callback relayRead(Callback callback) {
            if (!(getConnection() instanceof WebSocketConnection)
                    || callback.getInvocationType() != Invocable.InvocationType.BLOCKING) {
                return callback;
            }
            // the connection registers the same callback every time: wrap it once
            Callback[] w = wrapped;
            if (w == null || w[0] != callback) {
                Runnable fillable = callback::succeeded;
                w = new Callback[] {callback,
                    Callback.from(Invocable.InvocationType.NON_BLOCKING,
                            () -> ReadBudget.turn(fillable, pool), callback::failed)};
                wrapped = w;
            }
            return w[1];
        }
    }
}
