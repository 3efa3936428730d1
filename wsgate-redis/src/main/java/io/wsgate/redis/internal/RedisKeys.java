package io.wsgate.redis.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The names of the store's keys: {@code wsgate:<gateway>:<limit id>:<hash of the key>} for a rate limit's bucket,
 * {@code wsgate:{<gateway>:<limiter id>}:gateway}, {@code ...:api:<api>} and {@code ...:key:<hash>} for the
 * connection leases (one hash tag, so that a Redis Cluster keeps a limiter's sets on one slot for its scripts).
 * A key's value (a client address, a claim, a header, a subscription key) is never stored as written: it may be a
 * secret, so only the first 128 bits of its SHA-256 are. Immutable.
 */
public final class RedisKeys {

    private static final HexFormat HEX = HexFormat.of();

    private final String gateway;

    /** @param gateway the gateway's name, the namespace of every key */
    public RedisKeys(String gateway) {
        this.gateway = gateway;
    }

    /**
     * @param limitId a rate limit's id
     * @return the prefix of its buckets' keys
     */
    public String ratePrefix(String limitId) {
        return "wsgate:" + gateway + ":" + limitId + ":";
    }

    /**
     * @param limiterId a connection limiter's id
     * @return the prefix of its sets' keys
     */
    public String connectionPrefix(String limiterId) {
        return "wsgate:{" + gateway + ":" + limiterId + "}:";
    }

    /**
     * @param value a key's value
     * @return 32 hex digits of its SHA-256
     */
    public static String hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HEX.formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
