package io.wsgate.redis.internal;

import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The store's one connection to Redis (Lettuce pipelines every command on it) and the Bucket4j proxy manager on it.
 * Connects when made, waiting up to the connect timeout (the command timeout, at least 3 s) on the thread that makes
 * it; when Redis cannot be reached then, it goes on in the background: until the first connection succeeds, calls
 * fail (within the command timeout) and a new attempt starts every second; once connected, Lettuce reconnects by itself (within a second at most between attempts), and
 * rejects commands while disconnected rather than queueing them. Every call is bounded by the command timeout, so
 * a handshake never waits longer. Thread-safe.
 */
public final class RedisLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** What a call runs on. */
    public record Connected(StatefulRedisConnection<byte[], byte[]> connection, AsyncProxyManager<byte[]> buckets) {
    }

    private final RedisURI uri;
    private final String describe;
    private final Duration timeout;
    private final TimeMeter time;
    private final ClientResources resources;
    private final RedisClient client;
    private volatile CompletableFuture<Connected> current;
    private volatile boolean closed;

    /**
     * @param uri      where Redis is
     * @param describe the URI without its password, for logs
     * @param timeout  the command timeout
     * @param clock    the time of the buckets (the gateway's clock)
     */
    public RedisLink(RedisURI uri, String describe, Duration timeout, Clock clock) {
        this.uri = uri;
        this.describe = describe;
        this.timeout = timeout;
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                Instant now = clock.instant();
                return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
        this.resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources);
        // handshakes never wait for a connect (commands are rejected while disconnected): room for a cold JVM or a slow TLS
        Duration connectTimeout = timeout.compareTo(Duration.ofSeconds(3)) < 0 ? Duration.ofSeconds(3) : timeout;
        // the connection's own handshake (HELLO, AUTH, SELECT) waits this long; each command then waits the command timeout
        uri.setTimeout(connectTimeout);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).build())
                .build());
        this.current = connect();
        try {
            // on the thread that builds the store (loading the file), not a handshake's: the first handshakes find it connected
            current.get(connectTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            LOG.warn("limit store {} is not reachable yet ({}); trying again every second", describe, root.toString());
        }
    }

    private CompletableFuture<Connected> connect() {
        CompletableFuture<Connected> attempt = client.connectAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture()
                .thenApply(c -> new Connected(c, Bucket4jLettuce.casBasedBuilder(c)
                        .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                        .clientClock(time)
                        .requestTimeout(timeout)
                        .build().asAsync()));
        attempt.whenComplete((c, error) -> {
            if (error == null) {
                LOG.info("limit store {} connected", describe);
                if (closed) {
                    c.connection().closeAsync();
                }
            } else if (!closed) {
                // not connected yet (Lettuce reconnects by itself only once it has connected): try again in a second
                LOG.debug("limit store {}: cannot connect yet ({})", describe, error.toString());
                CompletableFuture.delayedExecutor(RETRY_NANOS, TimeUnit.NANOSECONDS).execute(this::retry);
            }
        });
        return attempt;
    }

    private void retry() {
        synchronized (this) {
            if (!closed && current != null && current.isCompletedExceptionally()) {
                current = connect();
            }
        }
    }

    /**
     * @param command what to run once connected
     * @return its result, or a failure: not connected, Redis's error, or a timeout after the command timeout
     */
    public <T> CompletableFuture<T> call(Function<Connected, CompletionStage<T>> command) {
        return connected().thenCompose(command).orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private CompletableFuture<Connected> connected() {
        return current;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        CompletableFuture<Connected> c = current;
        if (c.isDone() && !c.isCompletedExceptionally()) {
            StatefulRedisConnection<byte[], byte[]> connection = c.join().connection();
            try {
                // Redis answers in order: once the PING is answered, the releases sent before it are done
                connection.async().ping().toCompletableFuture().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.debug("limit store {}: not flushed before closing ({})", describe, e.toString());
            }
            connection.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
