package io.wsgate.consumer;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

/** A plain Jetty websocket-core echo server on 127.0.0.1 and a free port: every data frame comes back as sent. */
final class EchoBackend implements AutoCloseable {

    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);

    EchoBackend() throws Exception {
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        WebSocketUpgradeHandler upgrade = new WebSocketUpgradeHandler();
        upgrade.addMapping("/*", new WebSocketNegotiator.AbstractNegotiator() {
            @Override
            public FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
                return new Echo();
            }
        });
        server.setHandler(upgrade);
        server.start();
    }

    /** @return the backend's WebSocket URL */
    String url() {
        return "ws://127.0.0.1:" + connector.getLocalPort() + "/ws";
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** Echoes one frame at a time, demanding the next once the echo is sent. */
    private static final class Echo implements FrameHandler {
        private volatile CoreSession session;

        @Override
        public void onOpen(CoreSession coreSession, Callback callback) {
            session = coreSession;
            callback.succeeded();
            coreSession.demand();
        }

        @Override
        public void onFrame(Frame frame, Callback callback) {
            if (frame.getOpCode() == OpCode.CLOSE) {
                callback.succeeded(); // the session answers the close itself
                return;
            }
            if (!OpCode.isDataFrame(frame.getOpCode())) {
                callback.succeeded();
                session.demand();
                return;
            }
            session.sendFrame(new Frame(frame.getOpCode(), frame.isFin(), frame.getPayload()),
                    Callback.from(() -> {
                        callback.succeeded();
                        session.demand();
                    }, callback::failed), false);
        }

        @Override
        public void onError(Throwable cause, Callback callback) {
            callback.succeeded();
        }

        @Override
        public void onClosed(CloseStatus closeStatus, Callback callback) {
            callback.succeeded();
        }
    }
}
