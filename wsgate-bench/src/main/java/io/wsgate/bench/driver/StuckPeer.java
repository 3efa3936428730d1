package io.wsgate.bench.driver;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A client that upgrades and then never reads again: it never answers a close frame, so a gateway
 * that drains must abort its pair when its drain timeout passes. Its socket is open until closed here.
 */
public final class StuckPeer implements AutoCloseable {

    private final Socket socket;

    private StuckPeer(Socket socket) {
        this.socket = socket;
    }

    /**
     * Connects and upgrades, reading the 101 and nothing more.
     *
     * @param uri a ws:// URL
     * @return the peer, upgraded
     * @throws IOException when the upgrade fails (the status line says how)
     */
    public static StuckPeer open(URI uri) throws IOException {
        Socket s = new Socket(uri.getHost(), uri.getPort());
        s.setReceiveBufferSize(4096);
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String request = "GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(nonce) + "\r\n\r\n";
        s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                s.close();
                throw new IOException("the gateway closed before answering the upgrade");
            }
            head.append((char) b);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            s.close();
            throw new IOException("upgrade refused: " + head.toString().lines().findFirst().orElse(""));
        }
        return new StuckPeer(s);
    }

    /**
     * @return true once the gateway has dropped the connection (a read sees the end or a reset);
     *         reads what is pending, so call it only after the gateway should have given up
     */
    public boolean droppedByGateway() {
        try {
            socket.setSoTimeout(1);
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            while (true) {
                if (in.read(buffer) < 0) {
                    return true;
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
