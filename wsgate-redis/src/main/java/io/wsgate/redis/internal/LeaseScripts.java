package io.wsgate.redis.internal;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The Lua scripts of the connection leases, each atomic in Redis. A limit is a sorted set of lease ids (one per
 * pair) scored by when the lease expires, in the clock of the instances (milliseconds since the epoch): a lease
 * that was not renewed in time is trimmed by the next acquire, so that the permits of an instance that died come
 * back by themselves. Sent by their SHA-1 ({@code EVALSHA}), and in full when Redis does not know them yet (a
 * restarted server).
 */
enum LeaseScripts {

    /**
     * KEYS: the sets; ARGV: now, the lease's expiry, its id, the sets' time to live (ms), then each set's limit.
     * Trims the expired leases of every set; when one is full returns its position (1-based), else adds the lease to
     * every set and returns 0.
     */
    ACQUIRE("""
            local now = tonumber(ARGV[1])
            for i = 1, #KEYS do
              redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now)
              if redis.call('ZCARD', KEYS[i]) >= tonumber(ARGV[4 + i]) then
                return i
              end
            end
            for i = 1, #KEYS do
              redis.call('ZADD', KEYS[i], ARGV[2], ARGV[3])
              redis.call('PEXPIRE', KEYS[i], ARGV[4])
            end
            return 0
            """),
    /** KEYS: the sets; ARGV: the new expiry, the lease's id, the time to live. Adds it again if the set lost it. */
    RENEW("""
            for i = 1, #KEYS do
              redis.call('ZADD', KEYS[i], ARGV[1], ARGV[2])
              redis.call('PEXPIRE', KEYS[i], ARGV[3])
            end
            return 0
            """),
    /** KEYS: the sets; ARGV: the lease's id. */
    RELEASE("""
            for i = 1, #KEYS do
              redis.call('ZREM', KEYS[i], ARGV[1])
            end
            return 0
            """);

    private final String script;
    private final String sha;

    LeaseScripts(String script) {
        this.script = script;
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }

    /** @return completes with the script's answer */
    CompletableFuture<Long> run(RedisAsyncCommands<byte[], byte[]> redis, byte[][] keys, byte[]... args) {
        CompletableFuture<Long> bySha = redis.<Long>evalsha(sha, ScriptOutputType.INTEGER, keys, args).toCompletableFuture();
        return bySha.handle((r, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(r);
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof RedisNoScriptException) {
                return redis.<Long>eval(script, ScriptOutputType.INTEGER, keys, args).toCompletableFuture();
            }
            return CompletableFuture.<Long>failedFuture(cause);
        }).thenCompose(f -> f);
    }
}
