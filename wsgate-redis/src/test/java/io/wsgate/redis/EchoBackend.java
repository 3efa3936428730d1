package io.wsgate.redis;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

import java.nio.charset.StandardCharsets;

/**
 * A real backend on websocket-core that echoes every data frame, and closes with CODE and REASON when it gets
 * the text {@code close:CODE:REASON} (the smallest part of wsgate-jetty's test backend these tests need).
 */
final class EchoBackend implements AutoCloseable {

    private final Server server = new Server();

    EchoBackend() throws Exception {
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        WebSocketUpgradeHandler ws = new WebSocketUpgradeHandler();
        ws.addMapping("/*", (request, response, callback) -> new Echo());
        server.setHandler(ws);
        server.start();
    }

    String url(String path) {
        return "ws://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + path;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    private static final class Echo implements FrameHandler {
        private CoreSession session;

        @Override
        public void onOpen(CoreSession coreSession, Callback callback) {
            session = coreSession;
            callback.succeeded();
            coreSession.demand();
        }

        @Override
        public void onFrame(Frame frame, Callback callback) {
            if (!frame.isDataFrame()) {
                callback.succeeded();
                if (frame.getOpCode() != OpCode.CLOSE) {
                    session.demand();
                }
                return;
            }
            String text = frame.getOpCode() == OpCode.TEXT ? StandardCharsets.UTF_8.decode(frame.getPayload().slice()).toString() : "";
            if (text.startsWith("close:")) {
                String[] p = text.split(":", 3);
                callback.succeeded();
                session.close(Integer.parseInt(p[1]), p[2], Callback.NOOP);
                session.demand();
                return;
            }
            Frame copy = Frame.copy(frame);
            session.sendFrame(new Frame(copy.getOpCode(), copy.isFin(), copy.getPayload()),
                    Callback.from(() -> { callback.succeeded(); session.demand(); }, callback::failed), false);
        }

        @Override
        public void onError(Throwable cause, Callback callback) {
            callback.succeeded();
        }

        @Override
        public void onClosed(org.eclipse.jetty.websocket.core.CloseStatus closeStatus, Callback callback) {
            callback.succeeded();
        }
    }
}
