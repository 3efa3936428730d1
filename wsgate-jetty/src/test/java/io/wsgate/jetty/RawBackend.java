package io.wsgate.jetty;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/** A fake backend on a raw socket: answers one handshake as told, then does what it is told. */
final class RawBackend implements AutoCloseable {

    /** What to do with the accepted connection. */
    interface Script {
        void run(String key, InputStream in, OutputStream out, Socket socket) throws Exception;
    }

    private final ServerSocket server;
    private final Thread thread;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    /** The head of the upgrade request the gateway sent, as read. */
    final CompletableFuture<String> requestHead = new CompletableFuture<>();

    RawBackend(Script script) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> {
            try (Socket s = server.accept()) {
                s.setSoTimeout(10_000);
                String head = GatewayTestBase.readHead(s.getInputStream());
                requestHead.complete(head);
                String key = "";
                for (String line : head.split("\r\n")) {
                    if (line.toLowerCase().startsWith("sec-websocket-key:")) {
                        key = line.substring(line.indexOf(':') + 1).trim();
                    }
                }
                script.run(key, s.getInputStream(), s.getOutputStream(), s);
                done.complete(null);
            } catch (Exception e) {
                done.completeExceptionally(e);
            }
        }, "raw-backend");
        thread.setDaemon(true);
        thread.start();
    }

    String url() {
        return "ws://127.0.0.1:" + server.getLocalPort() + "/";
    }

    static void answer101(OutputStream out, String accept, String... extraHeaders) throws IOException {
        StringBuilder s = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept + "\r\n");
        for (String h : extraHeaders) {
            s.append(h).append("\r\n");
        }
        out.write(s.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() throws Exception {
        server.close();
        thread.join(10_000);
    }
}
