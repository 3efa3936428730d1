package io.wsgate.jetty;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real backend on websocket-core: echoes every frame as it came (fragments stay fragments),
 * answers pings, records handshakes and frames, and obeys a few text commands:
 * {@code close:CODE:REASON}, {@code drop} (TCP reset), {@code send:BYTES} (that many binary bytes in 64 KiB messages).
 * Paths: {@code /status/NNN} answers NNN, {@code /silent} never answers, {@code /gated} waits for {@link #gate}.
 */
final class TestBackend implements AutoCloseable {

    /** One handshake the backend saw. */
    record Seen(String path, String query, Map<String, List<String>> headers, List<String> subprotocols) {
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return v == null ? null : String.join(", ", v);
        }
    }

    final Server server;
    final BlockingQueue<Seen> handshakes = new LinkedBlockingQueue<>();
    final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    final BlockingQueue<CloseStatus> closes = new LinkedBlockingQueue<>();
    final AtomicInteger open = new AtomicInteger();
    final Map<CoreSession, Boolean> sessions = new ConcurrentHashMap<>();
    volatile String chooseSubprotocol;
    final CountDownLatch gate = new CountDownLatch(1);
    final AtomicInteger gatedWaiting = new AtomicInteger();
    /** Bytes of {@code send:} messages whose write has completed. */
    final java.util.concurrent.atomic.AtomicLong sentBytes = new java.util.concurrent.atomic.AtomicLong();
    /** Bytes of the frames a "send:" stream has handed to its session; ahead of {@link #sentBytes} while a write waits. */
    final java.util.concurrent.atomic.AtomicLong startedBytes = new java.util.concurrent.atomic.AtomicLong();

    private final boolean tls;

    TestBackend() throws Exception {
        this(null);
    }

    /** @param tls the server's TLS settings; null for plain ws */
    TestBackend(org.eclipse.jetty.util.ssl.SslContextFactory.Server tls) throws Exception {
        this.tls = tls != null;
        QueuedThreadPool threads = new QueuedThreadPool(300);
        threads.setName("backend");
        server = new Server(threads);
        ServerConnector connector;
        if (tls == null) {
            connector = new ServerConnector(server);
        } else {
            org.eclipse.jetty.server.HttpConfiguration config = new org.eclipse.jetty.server.HttpConfiguration();
            config.addCustomizer(new org.eclipse.jetty.server.SecureRequestCustomizer(false, false, -1, false));
            connector = new ServerConnector(server, tls, new org.eclipse.jetty.server.HttpConnectionFactory(config));
        }
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        WebSocketUpgradeHandler ws = new WebSocketUpgradeHandler();
        ws.addMapping("/*", new Negotiator());
        server.setHandler(new Handler.Wrapper(ws) {
            @Override
            public InvocationType getInvocationType() {
                return InvocationType.BLOCKING; // /gated blocks a backend thread
            }

            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String path = request.getHttpURI().getPath();
                if (path.startsWith("/status/")) {
                    int status = Integer.parseInt(path.substring("/status/".length()));
                    response.setStatus(status);
                    response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"backend\"");
                    response.getHeaders().put("X-Internal-Secret", "do-not-pass");
                    response.getHeaders().add(HttpHeader.SET_COOKIE, "refusal-session=first-client; Path=/");
                    response.write(true, BufferUtil.toBuffer("nope"), callback);
                    return true;
                }
                if (path.equals("/set-cookie")) {
                    // a backend (or a load balancer before it) that sets a session cookie on its 101
                    response.getHeaders().add(HttpHeader.SET_COOKIE, "backend-session=first-client; Path=/");
                }
                if (path.equals("/silent")) {
                    return true; // never answered; the server's stop ends it
                }
                if (path.equals("/gated")) {
                    gatedWaiting.incrementAndGet();
                    gate.await(30, TimeUnit.SECONDS); // the backend's own thread, not the gateway's
                }
                return super.handle(request, response, callback);
            }
        });
        server.start();
    }

    int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    String url(String path) {
        return (tls ? "wss" : "ws") + "://127.0.0.1:" + port() + path;
    }

    @Override
    public void close() throws Exception {
        gate.countDown();
        server.stop();
    }

    private final class Negotiator implements WebSocketNegotiator {
        @Override
        public FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
            Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
            for (HttpField f : request.getHeaders()) {
                headers.computeIfAbsent(f.getLowerCaseName(), k -> new java.util.ArrayList<>()).add(f.getValue());
            }
            List<String> offered = request.getSubProtocols();
            String query = request.getHttpURI().getQuery();
            handshakes.add(new Seen(request.getHttpURI().getPath(), query == null ? "" : query, headers, offered));
            String choose = chooseSubprotocol;
            if (choose != null && offered.contains(choose)) {
                response.setAcceptedSubProtocol(choose);
            }
            return new Echo();
        }
    }

    /** Echoes frames at frame level with auto-demand. */
    final class Echo implements FrameHandler {
        private CoreSession session;

        @Override
        public void onOpen(CoreSession coreSession, Callback callback) {
            session = coreSession;
            coreSession.setMaxFrameSize(16 * 1024 * 1024);
            coreSession.setAutoFragment(false);
            open.incrementAndGet();
            sessions.put(coreSession, true);
            callback.succeeded();
            coreSession.demand();
        }

        @Override
        public void onFrame(Frame frame, Callback callback) {
            Frame copy = Frame.copy(frame);
            frames.add(copy);
            byte op = frame.getOpCode();
            if (op == OpCode.CLOSE) {
                callback.succeeded();
                return;
            }
            if (op == OpCode.PING) {
                session.sendFrame(new Frame(OpCode.PONG, true, copy.getPayload().slice()), Callback.from(() -> { callback.succeeded(); session.demand(); }, callback::failed), false);
                return;
            }
            if (op == OpCode.PONG) {
                callback.succeeded();
                session.demand();
                return;
            }
            if (op == OpCode.TEXT && frame.isFin()) {
                String text = copy.getPayloadAsUTF8();
                if (text.startsWith("close:")) {
                    String[] p = text.split(":", 3);
                    callback.succeeded();
                    session.close(Integer.parseInt(p[1]), p[2], Callback.NOOP);
                    session.demand();
                    return;
                }
                if (text.equals("drop")) {
                    callback.succeeded();
                    session.abort();
                    return;
                }
                if (text.startsWith("send:")) {
                    long total = Long.parseLong(text.substring(5));
                    callback.succeeded();
                    sendBytes(total);
                    return;
                }
            }
            session.sendFrame(new Frame(op, frame.isFin(), copy.getPayload().slice()), Callback.from(() -> { callback.succeeded(); session.demand(); }, callback::failed), false);
        }

        private void sendBytes(long remaining) {
            if (remaining <= 0) {
                session.demand();
                return;
            }
            int n = (int) Math.min(64 * 1024, remaining);
            startedBytes.addAndGet(n);
            session.sendFrame(new Frame(OpCode.BINARY, true, ByteBuffer.allocate(n)),
                    Callback.from(() -> {
                        sentBytes.addAndGet(n);
                        sendBytes(remaining - n);
                    }, x -> { }), false);
        }

        @Override
        public void onError(Throwable cause, Callback callback) {
            callback.succeeded();
        }

        @Override
        public void onClosed(CloseStatus closeStatus, Callback callback) {
            closes.add(closeStatus);
            open.decrementAndGet();
            sessions.remove(session);
            callback.succeeded();
        }
    }

    static String text(Frame f) {
        return StandardCharsets.UTF_8.decode(f.getPayload().slice()).toString();
    }
}
