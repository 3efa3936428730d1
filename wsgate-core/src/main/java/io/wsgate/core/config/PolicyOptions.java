package io.wsgate.core.config;

import io.wsgate.api.HandshakePolicy;
import io.wsgate.core.store.LimitStore;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The options of one policy entry in a gateway file (or one value inside them), read strictly: every refusal is
 * a {@link GatewayFileException} naming the file, line and key. A {@link PolicyFactory} reads them on the thread
 * that loads the file; when it returns, any key of a map it was given and did not read is refused as unknown.
 *
 * <pre>{@code
 * public HandshakePolicy create(PolicyOptions options) {
 *     String claim = options.text("claim").orElse("tenant");
 *     Duration ttl = options.positiveDuration("cacheTtl").orElse(Duration.ofMinutes(5));
 *     return options.require("claim").check(() -> new TenantPolicy(claim, ttl));   // an IllegalArgumentException is located at 'claim'
 * }
 * }</pre>
 */
public interface PolicyOptions {

    /** @return where this value stands in the file, e.g. {@code apis[0].onHandshake[1].validate-jwt.keys[0]} */
    String path();

    /** @return this value as written when it is a scalar (text, number, boolean); empty for a map or a list */
    Optional<String> scalar();

    /** @return this value as text; an error at it when it is a map, a list or empty */
    String text();

    /** @return the keys of this map, in the file's order; an error when this value is not a map */
    Set<String> keys();

    /**
     * @param key a key of this map
     * @return its value, when given and not empty; the key counts as known
     * @throws GatewayFileException when this value is not a map
     */
    Optional<PolicyOptions> get(String key);

    /** @return the key's value; an error naming the key when it is missing */
    PolicyOptions require(String key);

    /** @return the key's values one by one: the items of a list, or the single value alone; empty when missing */
    List<PolicyOptions> items(String key);

    /** @return the key's text */
    Optional<String> text(String key);

    /** @return the key's text; required */
    String requireText(String key);

    /** @return the key's texts: one, or a list of them; empty when missing */
    List<String> texts(String key);

    /** @return the key's {@code true} or {@code false} */
    Optional<Boolean> bool(String key);

    /** @return the key's whole number, from min to max */
    Optional<Long> integer(String key, long min, long max);

    /** @return the key's whole number, from min to max; required */
    long requireInteger(String key, long min, long max);

    /** @return the key's duration: {@code 30s}, {@code 5m}, {@code PT30S}; zero allowed */
    Optional<Duration> duration(String key);

    /** @return the key's duration, above zero */
    Optional<Duration> positiveDuration(String key);

    /** @return the key's duration, above zero; required */
    Duration requirePositiveDuration(String key);

    /**
     * Runs a step that may refuse this value and locates its refusal here.
     *
     * @param step makes something from this value
     * @return what it made
     * @throws GatewayFileException at this value when the step throws {@link IllegalArgumentException}
     */
    <T> T check(Supplier<T> step);

    /**
     * @param problem what is wrong and how to fix it
     * @return an error at this value, to throw
     */
    GatewayFileException error(String problem);

    /**
     * @return this value as plain Java values: {@code String}, {@code Long}, {@code Double}, {@code Boolean},
     *         {@code List<Object>} and {@code Map<String, Object>}; every key counts as known
     */
    Map<String, Object> plain();

    /** @return the clock the gateway gives its time-based policies */
    Clock clock();

    /** @return the gateway's trusted proxies (CIDR ranges), for policies that read the client's address */
    List<String> trustedProxies();

    /** @return the store the gateway's limits count in (its {@code limitStore}; in memory by default) */
    default LimitStore limitStore() {
        return LimitStore.inMemory();
    }

    /**
     * @return a name of this entry that is the same in every instance loading the same entry, from its scope, type
     *         and options (e.g. {@code api:chat:rate-limit-by-key:3f9a01c2}); a limit names its counters in a
     *         shared store by it
     */
    default String limitId() {
        return path();
    }

    /**
     * Makes the policy of the custom factory this map names, as an entry of its type would be made (a custom
     * authorizer wraps one).
     *
     * @param typeKey    the key holding the factory's type
     * @param optionsKey the key holding its options; none when missing
     * @return the policy
     * @throws GatewayFileException when no custom factory makes that type
     */
    HandshakePolicy customPolicy(String typeKey, String optionsKey);
}
