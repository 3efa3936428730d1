package io.wsgate.examples;

import io.wsgate.api.ApiDefinition;
import io.wsgate.core.GatewayConfig;
import io.wsgate.jetty.WsGateConnectionFactory;
import io.wsgate.jetty.WsGateHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The demo's {@code --warm-up N}: before the real gateway listens, N handshakes and echoes through a throw-away
 * gateway of the same classes, on the same kind of connector (its own Jetty server on a loopback port, an
 * embedded echo backend behind it),
 * so that the JIT compiles the handshake and relay path before the first client of a reconnect storm arrives.
 * The clients are plain blocking sockets on a few threads; nothing is contacted outside this process.
 */
final class DemoWarmUp {

    private static final int THREADS = 8;
    private static final byte[] MASK = {0x1b, 0x2c, 0x3d, 0x4e};

    private DemoWarmUp() {
    }

    /**
     * Runs the warm-up and stops what it started.
     *
     * @param handshakes how many handshakes (each with one echo and a close)
     * @param kind       the connector the real gateway serves on, the path to warm up
     * @return how many completed
     * @throws Exception when the throw-away servers cannot start
     */
    static int run(int handshakes, DemoOptions.Connector kind) throws Exception {
        try (EchoBackend echo = EchoBackend.start("127.0.0.1", 0)) {
            GatewayConfig config = GatewayConfig.builder().name("warm-up") // its drain line at stop names it
                    .api(ApiDefinition.builder("warm-up").backend(echo.uri()).urlSuffix("/warm-up").build()).build();
            Server server = new Server();
            ServerConnector connector = kind == DemoOptions.Connector.DEDICATED
                    ? DemoConnectors.dedicated(server, WsGateConnectionFactory.builder(config).build())
                    : DemoConnectors.plain(server);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            if (kind == DemoOptions.Connector.HANDLER) {
                server.setHandler(WsGateHandler.builder(config).build());
            }
            server.start();
            try {
                int port = connector.getLocalPort();
                AtomicInteger next = new AtomicInteger();
                AtomicInteger done = new AtomicInteger();
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    Thread thread = new Thread(() -> {
                        while (next.getAndIncrement() < handshakes) {
                            try {
                                once(port);
                                done.incrementAndGet();
                            } catch (IOException e) {
                                // counted as not done; the warm-up goes on
                            }
                        }
                    }, "wsgate-warm-up-" + t);
                    thread.start();
                    threads.add(thread);
                }
                for (Thread thread : threads) {
                    thread.join();
                }
                return done.get();
            } finally {
                server.stop();
            }
        }
    }

    /** One client: the upgrade, one masked text frame and its echo, a close and its answer. */
    private static void once(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(5000);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("GET /warm-up HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String head = readHead(in);
            if (!head.startsWith("HTTP/1.1 101")) {
                throw new IOException("warm-up handshake answered " + head.lines().findFirst().orElse(""));
            }
            out.write(frame(0x81, "warm".getBytes(StandardCharsets.US_ASCII)));
            readFrame(in);
            out.write(frame(0x88, new byte[] {0x03, (byte) 0xe8}));
            readFrame(in);
        }
    }

    private static byte[] frame(int first, byte[] payload) {
        byte[] f = new byte[6 + payload.length];
        f[0] = (byte) first;
        f[1] = (byte) (0x80 | payload.length);
        System.arraycopy(MASK, 0, f, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            f[6 + i] = (byte) (payload[i] ^ MASK[i % 4]);
        }
        return f;
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 8192 && (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n"))) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("warm-up: the gateway closed the connection");
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** Reads one small unmasked frame (the echo or the close). */
    private static void readFrame(InputStream in) throws IOException {
        int first = in.read();
        int length = in.read();
        if (first < 0 || length < 0 || (length & 0x7f) > 125) {
            throw new IOException("warm-up: unexpected frame");
        }
        in.readNBytes(length & 0x7f);
    }
}
