package io.wsgate.examples;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

import java.net.URI;
import java.util.List;

/**
 * A plain WebSocket echo server (Jetty websocket-core, no wsgate): every frame comes back as it
 * was sent (fragments stay fragments), pings are answered with pongs, and it accepts the first
 * subprotocol the client offers. The demo gateway's default backend, and the benchmark's.
 */
public final class EchoBackend implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;

    private EchoBackend(String host, int port, long maxFrameSize) {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("echo-backend");
        server = new Server(threads);
        connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        WebSocketUpgradeHandler upgrade = new WebSocketUpgradeHandler();
        upgrade.addMapping("/*", new WebSocketNegotiator.AbstractNegotiator() {
            @Override
            public FrameHandler negotiate(org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest request,
                                          org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse response,
                                          Callback callback) {
                List<String> offered = request.getSubProtocols();
                if (!offered.isEmpty()) {
                    response.setAcceptedSubProtocol(offered.get(0));
                }
                response.setExtensions(List.of());
                return new Echo();
            }
        });
        upgrade.getConfiguration().setMaxFrameSize(maxFrameSize);
        upgrade.getConfiguration().setAutoFragment(false);
        server.setHandler(upgrade);
    }

    /**
     * Starts an echo server.
     *
     * @param host the address to bind
     * @param port the port, 0 for any free one
     * @return the running server
     * @throws Exception when it cannot start
     */
    public static EchoBackend start(String host, int port) throws Exception {
        EchoBackend backend = new EchoBackend(host, port, 64L * 1024 * 1024);
        backend.server.start();
        return backend;
    }

    /** @return the server's base WebSocket URI, e.g. {@code ws://127.0.0.1:40123/} */
    public URI uri() {
        String host = connector.getHost() == null ? "127.0.0.1" : connector.getHost();
        return URI.create("ws://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + connector.getLocalPort() + "/");
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** Echoes every frame, one at a time, with explicit demand. */
    public static final class Echo implements FrameHandler {
        private volatile CoreSession session;

        @Override
        public void onOpen(CoreSession coreSession, Callback callback) {
            session = coreSession;
            callback.succeeded();
            coreSession.demand();
        }

        @Override
        public void onFrame(Frame frame, Callback callback) {
            CoreSession s = session;
            byte opcode = frame.getOpCode();
            if (opcode == OpCode.CLOSE) {
                callback.succeeded();
                return;
            }
            if (opcode == OpCode.PONG) {
                callback.succeeded();
                s.demand();
                return;
            }
            byte out = opcode == OpCode.PING ? OpCode.PONG : opcode;
            Frame echo = new Frame(out, frame.isFin(), frame.getPayload());
            s.sendFrame(echo, Callback.from(() -> {
                callback.succeeded();
                s.demand();
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
