package io.wsgate.core.policy.jwt;

import com.auth0.jwk.Jwk;
import com.auth0.jwk.UrlJwkProvider;
import io.wsgate.core.error.ConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.MalformedURLException;
import java.net.URI;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * The public keys of a token issuer, read from its JSON Web Key Set URL ({@code jwks_uri}) with
 * {@code com.auth0:jwks-rsa}, for {@link JwtValidation}: a token's key is found by its {@code kid}.
 *
 * <pre>{@code
 * JwksKeys issuer = JwksKeys.builder(URI.create("https://login.example.com/.well-known/jwks.json"))
 *         .cacheTtl(Duration.ofMinutes(10))
 *         .build();
 * HandshakePolicy jwt = JwtValidation.builder().jwks(issuer).issuers("https://login.example.com/").build();
 * }</pre>
 *
 * <p>The whole set is fetched at once and cached for {@link Builder#cacheTtl(Duration)}; a token naming a
 * {@code kid} the cached set lacks (a rotated key) triggers a new fetch, at most once per
 * {@link Builder#minRefetchInterval(Duration)}, so made-up key ids cannot hammer the issuer. Fetches run on
 * an executor, never on the thread that evaluates the handshake: a handshake whose key is cached is decided
 * at once, the others when the fetch ends. One fetch at a time; handshakes waiting for it share it. A fetch
 * that fails (unreachable, slow, not a key set) gives no key, so the handshake is refused with 401 like any
 * bad token; the cause is logged, and the keys fetched before stay in use until they expire.
 *
 * <p>A key is used only with the algorithm its {@code alg} names or, without one, with any of
 * {@link Builder#algorithms(JwtAlgorithm, JwtAlgorithm...)} that suits its type (RSA: RS* and PS*; EC: ES* on its curve);
 * HMAC never. Keys whose {@code use} is not {@code sig} are ignored. Thread-safe.
 *
 * <p>{@code com.auth0:jwks-rsa} is optional: without it {@link #builder(URI)} throws a {@link ConfigurationException}
 * naming the artifact. So no catch clause here names one of its types (the verifier would load that type as soon as
 * this class is linked, and the application would see a {@link NoClassDefFoundError} instead).
 */
public final class JwksKeys {

    /** The library a key set needs, at the version wsgate is tested with: optional in wsgate-core's POM. */
    static final String JWKS_RSA = "com.auth0:jwks-rsa:0.24.2";

    private static final Logger LOG = LoggerFactory.getLogger(JwksKeys.class);
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final Snapshot NEVER_FETCHED = new Snapshot(Map.of(), Instant.MIN);

    private final URI url;
    private final UrlJwkProvider provider;
    private final Duration cacheTtl;
    private final Duration minRefetchInterval;
    private final Set<JwtAlgorithm> algorithms;
    private final Executor executor;
    private final Clock clock;
    private volatile Snapshot snapshot = NEVER_FETCHED;
    private volatile Instant lastAttempt = Instant.MIN;
    private final AtomicReference<CompletableFuture<Snapshot>> inflight = new AtomicReference<>();

    private JwksKeys(Builder b) {
        this.url = b.url;
        int timeout = (int) Math.min(Integer.MAX_VALUE, b.fetchTimeout.toMillis());
        try {
            this.provider = new UrlJwkProvider(b.url.toURL(), timeout, timeout);
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("JWKS URL '" + b.url + "' is not a URL: " + e.getMessage(), e);
        }
        this.cacheTtl = b.cacheTtl;
        this.minRefetchInterval = b.minRefetchInterval;
        this.algorithms = Set.copyOf(b.algorithms);
        this.executor = b.executor != null ? b.executor : defaultExecutor();
        this.clock = b.clock;
    }

    /**
     * @param url the key set's URL, {@code https://} (or {@code http://} for a local issuer)
     * @return a builder
     * @throws IllegalArgumentException when the URL is not http(s) with a host
     * @throws ConfigurationException   when {@code com.auth0:jwks-rsa} is not on the class path: it is an optional
     *                                  dependency of wsgate-core, which an application using JWKS adds
     */
    public static Builder builder(URI url) {
        requireJwksRsa(url, JwksKeys::present);
        return new Builder(url);
    }

    /**
     * Fails when {@code com.auth0:jwks-rsa} is not on the class path, before any of its classes is needed.
     *
     * @param url     the key set asked for, for the message
     * @param present tells whether a class can be loaded (tests pretend the library is absent)
     * @throws ConfigurationException naming the artifact to add
     */
    static void requireJwksRsa(URI url, Predicate<String> present) {
        if (!present.test("com.auth0.jwk.UrlJwkProvider")) {
            throw ConfigurationException.of("JWKS key set " + url, "needs com.auth0:jwks-rsa, which is not on the class path",
                    "add the dependency " + JWKS_RSA + "; wsgate-bom manages its version");
        }
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, JwksKeys.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** @return the key set's URL */
    public URI url() {
        return url;
    }

    /**
     * Fetches the key set now, on the executor, unless a fetch is running; for instance at startup, so
     * that the first handshakes need not wait.
     *
     * @return the fetch; it completes normally, with or without success (a failure is logged)
     */
    public CompletionStage<Void> prefetch() {
        return refresh().handle((s, e) -> null);
    }

    /**
     * Finds the key a token names.
     *
     * @param kid       the token's {@code kid}
     * @param algorithm the token's {@code alg}
     * @return the key to verify it with; empty when the set has no such key for that algorithm or cannot be read.
     *         Completed at once when the cached set answers; never completes exceptionally.
     */
    public CompletionStage<Optional<JwtKey>> find(String kid, JwtAlgorithm algorithm) {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(algorithm, "algorithm");
        Instant now = clock.instant();
        Snapshot s = snapshot;
        boolean fresh = s != NEVER_FETCHED && now.isBefore(s.fetchedAt().plus(cacheTtl));
        if (fresh && s.keys().containsKey(kid)) {
            return CompletableFuture.completedFuture(key(s, kid, algorithm));
        }
        CompletableFuture<Snapshot> running = inflight.get();
        if (running == null && now.isBefore(lastAttempt.plus(minRefetchInterval))) {
            LOG.debug("JWKS {}: no key '{}'; not fetched again before {}", url, kid, lastAttempt.plus(minRefetchInterval));
            return CompletableFuture.completedFuture(fresh ? key(s, kid, algorithm) : Optional.empty());
        }
        return (running != null ? running : refresh())
                .handle((fetched, failure) -> failure != null ? Optional.<JwtKey>empty() : key(fetched, kid, algorithm));
    }

    private CompletableFuture<Snapshot> refresh() {
        while (true) {
            CompletableFuture<Snapshot> running = inflight.get();
            if (running != null) {
                return running;
            }
            CompletableFuture<Snapshot> mine = new CompletableFuture<>();
            if (!inflight.compareAndSet(null, mine)) {
                continue;
            }
            lastAttempt = clock.instant();
            try {
                executor.execute(() -> fetch(mine));
            } catch (RuntimeException rejected) {
                LOG.warn("JWKS {}: the fetch could not be started: {}", url, rejected.toString());
                inflight.compareAndSet(mine, null);
                mine.completeExceptionally(rejected);
            }
            return mine;
        }
    }

    private void fetch(CompletableFuture<Snapshot> result) {
        try {
            List<Jwk> all = provider.getAll();
            Map<String, Entry> keys = new HashMap<>();
            for (Jwk jwk : all) {
                entry(jwk).ifPresent(e -> keys.putIfAbsent(jwk.getId(), e));
            }
            Snapshot s = new Snapshot(Map.copyOf(keys), clock.instant());
            snapshot = s;
            LOG.debug("JWKS {}: {} signing key(s) fetched", url, keys.size());
            // No longer in flight before anyone waiting hears the outcome: a caller that acts on it starts afresh.
            inflight.compareAndSet(result, null);
            result.complete(s);
        } catch (Exception e) { // a JwkException or a RuntimeException (see the class comment on catch clauses)
            LOG.warn("JWKS {}: the key set could not be fetched ({}); tokens needing a key it lacks are refused",
                    url, e.toString());
            inflight.compareAndSet(result, null);
            result.completeExceptionally(e);
        }
    }

    private Optional<Entry> entry(Jwk jwk) {
        if (jwk.getId() == null || jwk.getId().isBlank()) {
            return Optional.empty();
        }
        if (jwk.getUsage() != null && !jwk.getUsage().equals("sig")) {
            return Optional.empty();
        }
        Optional<JwtAlgorithm> declared = Optional.empty();
        if (jwk.getAlgorithm() != null) {
            try {
                declared = Optional.of(JwtAlgorithm.valueOf(jwk.getAlgorithm().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                LOG.debug("JWKS {}: key '{}' has algorithm '{}', not one wsgate verifies", url, jwk.getId(), jwk.getAlgorithm());
                return Optional.empty();
            }
        }
        try {
            return Optional.of(new Entry(jwk.getPublicKey(), declared, new ConcurrentHashMap<>()));
        } catch (Exception e) { // an InvalidPublicKeyException or a RuntimeException (see the class comment)
            LOG.debug("JWKS {}: key '{}' is not a usable public key: {}", url, jwk.getId(), e.toString());
            return Optional.empty();
        }
    }

    private static Executor defaultExecutor() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "wsgate-jwks-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    @Override
    public String toString() {
        return "JwksKeys[" + url + ", cacheTtl=" + cacheTtl + "]";
    }

    private Optional<JwtKey> key(Snapshot s, String kid, JwtAlgorithm algorithm) {
        Entry e = s.keys().get(kid);
        if (e == null || algorithm.isHmac()) {
            return Optional.empty();
        }
        if (e.declared().isPresent() ? e.declared().get() != algorithm : !algorithms.contains(algorithm)) {
            return Optional.empty();
        }
        return Optional.ofNullable(e.built().computeIfAbsent(algorithm, a -> {
            try {
                return JwtKey.publicKey(a, e.key()).withKeyId(kid);
            } catch (IllegalArgumentException unsuitable) {
                LOG.debug("JWKS {}: key '{}' does not suit {}: {}", url, kid, a, unsuitable.getMessage());
                return null;
            }
        }));
    }

    private record Snapshot(Map<String, Entry> keys, Instant fetchedAt) {
    }

    private record Entry(PublicKey key, Optional<JwtAlgorithm> declared, Map<JwtAlgorithm, JwtKey> built) {
    }

    /** Builds {@link JwksKeys}; not thread-safe. */
    public static final class Builder {
        private final URI url;
        private Duration cacheTtl = Duration.ofMinutes(10);
        private Duration minRefetchInterval = Duration.ofSeconds(30);
        private Duration fetchTimeout = Duration.ofSeconds(5);
        private final Set<JwtAlgorithm> algorithms = EnumSet.noneOf(JwtAlgorithm.class);
        private Executor executor;
        private Clock clock = Clock.systemUTC();

        private Builder(URI url) {
            Objects.requireNonNull(url, "url");
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http") || url.getHost() == null || url.getHost().isEmpty()) {
                throw new IllegalArgumentException("JWKS URL '" + url + "' must be https://HOST/... (or http:// for a local issuer)");
            }
            this.url = url;
            for (JwtAlgorithm a : JwtAlgorithm.values()) {
                if (!a.isHmac()) {
                    algorithms.add(a);
                }
            }
        }

        /** Sets how long a fetched key set is used before it is fetched again (default 10 minutes). */
        public Builder cacheTtl(Duration ttl) {
            this.cacheTtl = positive(ttl, "cacheTtl");
            return this;
        }

        /** Sets how long after a fetch a token with an unknown {@code kid} may cause another (default 30 s). */
        public Builder minRefetchInterval(Duration interval) {
            Objects.requireNonNull(interval, "minRefetchInterval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("minRefetchInterval must not be negative, got " + interval);
            }
            this.minRefetchInterval = interval;
            return this;
        }

        /** Sets the connect and read timeout of a fetch (default 5 s). */
        public Builder fetchTimeout(Duration timeout) {
            this.fetchTimeout = positive(timeout, "fetchTimeout");
            return this;
        }

        /**
         * Sets the algorithms a key without {@code alg} may be used with (default: every RSA and EC one).
         *
         * @throws IllegalArgumentException on an HMAC algorithm: a key set holds public keys
         */
        public Builder algorithms(JwtAlgorithm first, JwtAlgorithm... more) {
            Set<JwtAlgorithm> set = EnumSet.of(first, more);
            for (JwtAlgorithm a : set) {
                if (a.isHmac()) {
                    throw new IllegalArgumentException(a + " is an HMAC algorithm: a JWKS holds public keys (RS*, PS*, ES*)");
                }
            }
            algorithms.clear();
            algorithms.addAll(set);
            return this;
        }

        /**
         * Sets where fetches run (default: two daemon threads of this key set's own). Never the server's
         * request threads: a fetch blocks on the network.
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Sets the clock the cache's age is measured with (default: the system's); tests drive their own. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + d);
            }
            return d;
        }

        /** @return the key set */
        public JwksKeys build() {
            return new JwksKeys(this);
        }
    }
}
