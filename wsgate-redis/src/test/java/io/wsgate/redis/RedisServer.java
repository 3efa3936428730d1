package io.wsgate.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} (the Debian package) for one test: on a free loopback port, in a temporary directory,
 * without persistence, started and stopped by the test (no system service). {@link #kill()} and {@link #restart()}
 * simulate an outage; {@link #keys()} reads back what the store wrote.
 */
final class RedisServer implements AutoCloseable {

    private final Path dir;
    private int port;
    private Process process;

    private RedisServer() throws IOException {
        this.dir = Files.createTempDirectory("wsgate-redis-test");
    }

    /** @return a server, running, on a free port (another port is tried when the one picked was taken meanwhile) */
    static RedisServer start() throws Exception {
        RedisServer server = new RedisServer();
        Exception last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try (ServerSocket probe = new ServerSocket(0)) {
                server.port = probe.getLocalPort();
            }
            try {
                server.launch();
                return server;
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        server.close();
        throw new IllegalStateException("redis-server did not start on a free port", last);
    }

    private void launch() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no")
                .redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("redis-server is not installed (apt-get install -y redis-server)", e);
        }
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        List<String> output = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    synchronized (output) {
                        output.add(line);
                    }
                    if (line.contains("Ready to accept connections")) {
                        ready.complete(true);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            ready.complete(false);
        }, "redis-server-output");
        reader.setDaemon(true);
        reader.start();
        if (!ready.get(20, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            synchronized (output) {
                throw new IllegalStateException("redis-server did not start on port " + port + ": " + output);
            }
        }
        process = p;
    }

    int port() {
        return port;
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Kills the server at once (SIGKILL): an outage, every key lost. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Starts the server again on the same port, empty. */
    void restart() throws Exception {
        launch();
    }

    /** @return every key in the server */
    List<String> keys() {
        RedisClient client = RedisClient.create(uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return c.sync().keys("*");
        } finally {
            client.shutdown();
        }
    }

    /** @return the time to live of a key in milliseconds (-1: none, -2: no such key) */
    long ttl(String key) {
        RedisClient client = RedisClient.create(uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return c.sync().pttl(key);
        } finally {
            client.shutdown();
        }
    }

    /** @return the members of a sorted set */
    List<String> members(String key) {
        RedisClient client = RedisClient.create(uri());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return c.sync().zrange(key, 0, -1);
        } finally {
            client.shutdown();
        }
    }

    @Override
    public void close() throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
