package io.wsgate.core.policy.limit;

import io.wsgate.api.HandshakePolicy;
import io.wsgate.core.config.PolicyFactory;
import io.wsgate.core.config.PolicyOptions;
import io.wsgate.core.policy.network.NetworkFactories;

import java.time.Duration;
import java.util.List;

/**
 * The factories of {@code rate-limit-by-key} and {@code quota-by-key}, and the reading of the key they (and the
 * gateway's connection limits) count by. Called on the thread that loads the file.
 */
public final class LimitFactories {

    private LimitFactories() {
    }

    /** @return the factories of this family, one per policy type */
    public static List<PolicyFactory> all() {
        return List.of(
                PolicyFactory.of("rate-limit-by-key", o -> rateLimit(o, false)),
                PolicyFactory.of("quota-by-key", o -> rateLimit(o, true)));
    }

    private static HandshakePolicy rateLimit(PolicyOptions o, boolean quota) {
        long permits = o.requireInteger("permits", 1, Long.MAX_VALUE);
        Duration period = o.requirePositiveDuration("period");
        RateLimitByKey.Builder b = quota ? RateLimitByKey.quota(permits, period) : RateLimitByKey.rate(permits, period);
        b.clock(o.clock()).store(o.limitStore()).id(o.limitId());
        o.get("key").ifPresent(n -> b.key(rateKey(n)));
        o.integer("maxKeys", 1, Integer.MAX_VALUE).ifPresent(m -> b.maxKeys(m.intValue()));
        return b.build();
    }

    /**
     * @param key {@code client-ip}, {@code subscription}, {@code {claim: NAME}} or {@code {header: NAME}}
     * @return the key it names; {@code client-ip} behind the gateway's trusted proxies
     */
    public static RateKey rateKey(PolicyOptions key) {
        if (key.scalar().isPresent()) {
            String s = key.text();
            return switch (s) {
                case "client-ip" -> RateKey.clientIp(NetworkFactories.clientAddresses(key.trustedProxies(), key));
                case "subscription" -> RateKey.subscription();
                default -> throw key.error("a key is client-ip, subscription, {claim: NAME} or {header: NAME}; got '" + s + "'");
            };
        }
        if (key.keys().size() != 1) {
            throw key.error("a key is client-ip, subscription, {claim: NAME} or {header: NAME}");
        }
        String kind = key.keys().iterator().next();
        return switch (kind) {
            case "claim" -> RateKey.claim(key.requireText("claim"));
            case "header" -> RateKey.header(key.requireText("header"));
            default -> throw key.require(kind).error("unknown key kind '" + kind + "'; use client-ip, subscription, claim or header");
        };
    }
}
