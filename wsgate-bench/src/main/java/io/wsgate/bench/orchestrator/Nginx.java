package io.wsgate.bench.orchestrator;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Runs Debian's nginx as a WebSocket reverse proxy on loopback, from a generated configuration. */
public final class Nginx {

    private Nginx() {
    }

    /** @return the nginx binary, from the PATH or {@code /usr/sbin/nginx} */
    public static Optional<Path> find() {
        List<Path> candidates = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, "nginx"));
            }
        }
        candidates.add(Path.of("/usr/sbin/nginx"));
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /**
     * The configuration: one worker, no access log, {@code proxy_pass} with the upgrade headers.
     *
     * @param dir            nginx's prefix (temp paths, pid, error log)
     * @param port           the port to listen on (127.0.0.1)
     * @param backendPort    the echo backend's port
     * @param bufferSize     {@code proxy_buffer_size} (nginx relays upgraded connections through buffers of this size), empty for nginx's default
     * @param maxConnections worker_connections and the descriptor limit
     * @return the text of nginx.conf
     */
    public static String config(Path dir, int port, int backendPort, Optional<String> bufferSize, int maxConnections) {
        boolean root = "root".equals(System.getProperty("user.name"));
        return (root ? "user root;\n" : "")
                + "worker_processes 1;\n"
                + "daemon off;\n"
                + "pid " + dir.resolve("nginx.pid") + ";\n"
                + "error_log " + dir.resolve("error.log") + " warn;\n"
                + "worker_rlimit_nofile " + maxConnections + ";\n"
                // worker_connections above the descriptor limit, so that only the limit binds (nginx counts
                // connections still closing and the listener in worker_connections too)
                + "events {\n  worker_connections " + (maxConnections + maxConnections / 4) + ";\n}\n"
                + "http {\n"
                + "  access_log off;\n"
                + "  client_body_temp_path " + dir.resolve("body") + ";\n"
                + "  proxy_temp_path " + dir.resolve("proxy") + ";\n"
                + "  fastcgi_temp_path " + dir.resolve("fastcgi") + ";\n"
                + "  uwsgi_temp_path " + dir.resolve("uwsgi") + ";\n"
                + "  scgi_temp_path " + dir.resolve("scgi") + ";\n"
                + "  map $http_upgrade $connection_upgrade {\n    default upgrade;\n    ''      close;\n  }\n"
                + "  server {\n"
                + "    listen 127.0.0.1:" + port + " backlog=4096;\n"
                + "    location / {\n"
                + "      proxy_pass http://127.0.0.1:" + backendPort + ";\n"
                + "      proxy_http_version 1.1;\n"
                + "      proxy_set_header Upgrade $http_upgrade;\n"
                + "      proxy_set_header Connection $connection_upgrade;\n"
                + "      proxy_set_header Host $host;\n"
                + "      proxy_read_timeout 1h;\n"
                + "      proxy_send_timeout 1h;\n"
                + bufferSize.map(s -> "      proxy_buffer_size " + s + ";\n      proxy_buffers 8 " + s + ";\n"
                        + "      proxy_busy_buffers_size " + s + ";\n").orElse("")
                + "    }\n"
                + "  }\n"
                + "}\n";
    }

    /**
     * Writes a configuration and starts nginx in the foreground (its master and one worker).
     *
     * @param name        the target's name
     * @param binary      the nginx binary
     * @param workDir     the bench's work directory (nginx gets a sub-directory)
     * @param pin         the taskset prefix, empty for none
     * @param backendPort the echo backend's port
     * @param bufferSize  {@code proxy_buffer_size}, empty for the default
     * @return the running nginx and its port
     * @throws IOException when it does not start
     */
    public static Running start(String name, Path binary, Path workDir, List<String> pin, int backendPort,
                                Optional<String> bufferSize) throws IOException {
        Path dir = Files.createDirectories(workDir.resolve(name));
        int port = freePort();
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, config(dir, port, backendPort, bufferSize, 20_000));
        List<String> command = new ArrayList<>(pin);
        command.addAll(List.of(binary.toString(), "-p", dir.toString(), "-c", conf.toString(),
                "-e", dir.resolve("error.log").toString()));
        Launched process = Launched.start(name, command, workDir, null, java.time.Duration.ZERO).process();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                break;
            } catch (IOException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    String errors = Files.exists(dir.resolve("error.log")) ? Files.readString(dir.resolve("error.log")) : "";
                    process.close();
                    throw new IOException(name + " did not start listening on 127.0.0.1:" + port + "; config " + conf
                            + "\n" + process.tail() + "\n" + errors);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", ie);
                }
            }
        }
        return new Running(process, port);
    }

    /** A running nginx and the port it listens on. */
    public record Running(Launched process, int port) {
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
