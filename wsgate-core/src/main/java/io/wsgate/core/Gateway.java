package io.wsgate.core;

import io.wsgate.core.transport.PairRelay;
import io.wsgate.api.ApiDefinition;
import io.wsgate.api.CloseCause;
import io.wsgate.api.CloseStatus;
import io.wsgate.api.ConnectionPair;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.internal.handshake.ApiCatalog;
import io.wsgate.core.internal.handshake.ErrorResponses;
import io.wsgate.core.internal.observe.AccessLog;
import io.wsgate.core.internal.relay.PairEnd;
import io.wsgate.core.policy.ApiChains;
import io.wsgate.core.policy.JwtValidation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A running gateway engine: the APIs of its {@link GatewayConfig}, the exchanges in progress
 * and the established pairs. Thread-safe; one per mounted Handler or Servlet. Transport-neutral:
 * an adapter creates an {@link Exchange} per client handshake and drives it.
 */
public final class Gateway {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    /** Everything derived from one configuration, swapped whole on reconfiguration. */
    record State(GatewayConfig config, ApiCatalog catalog, ErrorResponses errors, Map<String, ErrorResponses> apiErrors) {
        static State of(GatewayConfig config) {
            Map<String, ErrorResponses> apiErrors = new HashMap<>();
            for (ApiDefinition api : config.apis()) {
                Map<GatewayError, ErrorOverride> overrides = config.errorResponses(api.name());
                if (!overrides.isEmpty()) {
                    apiErrors.put(api.name(), ErrorResponses.with(overrides));
                }
            }
            return new State(config, ApiCatalog.of(config.name(), config.apis()),
                    ErrorResponses.with(config.errorResponses()), Map.copyOf(apiErrors));
        }

        /** @return the renderer of the error responses of a handshake that reached this API */
        ErrorResponses errors(ApiDefinition api) {
            return apiErrors.getOrDefault(api.name(), errors);
        }

        ApiChains chains(ApiDefinition api) {
            return config.chains(api.name())
                    .orElseThrow(() -> new IllegalStateException("no chains resolved for API '" + api.name() + "'"));
        }
    }

    private volatile State state;
    private volatile boolean shuttingDown;
    private final AtomicInteger pending = new AtomicInteger();
    private final ConcurrentHashMap<String, PairRelay> pairs = new ConcurrentHashMap<>();
    /** The live-token timer of each pair that has one, by pair id; a pair's entry leaves with the pair. */
    private final ConcurrentHashMap<String, Scheduler.Task> expiryTimers = new ConcurrentHashMap<>();
    private final String idPrefix;
    private final AtomicLong ids = new AtomicLong();

    private Gateway(GatewayConfig config) {
        this.state = State.of(config);
        this.idPrefix = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36, 36L * 36 * 36 * 36 * 36), 36) + "-";
    }

    /**
     * @param config the configuration
     * @return a gateway serving it
     */
    public static Gateway create(GatewayConfig config) {
        return new Gateway(Objects.requireNonNull(config, "config"));
    }

    /** @return the configuration in force */
    public GatewayConfig config() {
        return state.config();
    }

    /**
     * Replaces the configuration. Established pairs keep running, whatever happened to their API;
     * new handshakes see the new APIs.
     *
     * @param config the new configuration (already checked when it was built)
     */
    public void reconfigure(GatewayConfig config) {
        State next = State.of(Objects.requireNonNull(config, "config"));
        state = next;
        LOG.info("gateway '{}' now serves {} APIs", config.name(), next.catalog().size());
    }

    /**
     * @param pathInMount the raw request path below the gateway's mount point
     * @return the API that path reaches, if any
     */
    public Optional<ApiDefinition> route(String pathInMount) {
        return state.catalog().route(pathInMount).map(ApiCatalog.Route::api);
    }

    /**
     * Starts one handshake. The adapter must end it with exactly one of the exchange's outcomes.
     *
     * @param request     the client's request
     * @param pathInMount the raw (percent-encoded) request path below the gateway's mount point,
     *                    matched against URL suffixes
     * @return the exchange to drive
     */
    public Exchange exchange(HandshakeRequest request, String pathInMount) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(pathInMount, "pathInMount");
        pending.incrementAndGet();
        return new Exchange(this, state, request, pathInMount, nextId());
    }

    /** @return the established pairs, a snapshot */
    public Collection<ConnectionPair> pairs() {
        return List.copyOf(pairs.values());
    }

    /** @return how many pairs are established now */
    public int openPairs() {
        return pairs.size();
    }

    /** @return how many handshakes are between request and pair (or refusal) now */
    public int pendingHandshakes() {
        return pending.get();
    }

    /** @return how many pairs have a live-token timer pending (each is cancelled when its pair ends) */
    public int tokenExpiryTimers() {
        return expiryTimers.size();
    }

    /** @return true once {@link #shutdown()} was called */
    public boolean isShuttingDown() {
        return shuttingDown;
    }

    /**
     * Stops taking handshakes (503 {@code GATEWAY_SHUTTING_DOWN}) and closes both sides of every
     * pair with 1001. Pairs leave {@link #pairs()} as their close handshakes complete.
     */
    public void shutdown() {
        shuttingDown = true;
        for (PairRelay pair : pairs.values()) {
            pair.close(CloseStatus.GOING_AWAY, "gateway shutting down", CloseCause.DRAINED);
        }
    }

    String nextId() {
        return idPrefix + Long.toString(ids.incrementAndGet(), 36);
    }

    void exchangeEnded() {
        pending.decrementAndGet();
    }

    void pairOpened(PairRelay pair) {
        pairs.put(pair.id(), pair);
        if (shuttingDown) {
            pair.close(CloseStatus.GOING_AWAY, "gateway shutting down", CloseCause.DRAINED);
            return;
        }
        scheduleTokenExpiry(pair);
    }

    /**
     * Live-token enforcement: a pair admitted on a token with an expiry is closed with 1008 once the expiry
     * plus the validation's clock skew has passed, unless its API opted out. The timer leaves with the pair.
     */
    private void scheduleTokenExpiry(PairRelay pair) {
        if (!pair.api().enforceTokenExpiry()
                || !(pair.attributes().get(JwtValidation.EXPIRES_AT_ATTRIBUTE) instanceof Instant expiresAt)) {
            return;
        }
        Duration skew = pair.attributes().get(JwtValidation.CLOCK_SKEW_ATTRIBUTE) instanceof Duration d ? d : Duration.ZERO;
        GatewayConfig config = state.config();
        Instant deadline = expiresAt.plus(skew);
        Scheduler.Task timer = config.scheduler().schedule(Duration.between(config.clock().instant(), deadline),
                () -> tokenExpired(pair, deadline));
        expiryTimers.put(pair.id(), timer);
        if (!pairs.containsKey(pair.id())) {
            // the pair ended while the timer was being set: pairEnded may have missed it
            cancelTokenExpiry(pair);
        }
    }

    private void tokenExpired(PairRelay pair, Instant deadline) {
        expiryTimers.remove(pair.id());
        if (!pair.isClosed()) {
            LOG.info("pair {} of API '{}': its token expired at {}; closing both sides with 1008", pair.id(),
                    pair.api().name(), deadline);
            pair.close(CloseStatus.POLICY_VIOLATION, "token expired", CloseCause.TOKEN_EXPIRED);
        }
    }

    private void cancelTokenExpiry(PairRelay pair) {
        Scheduler.Task timer = expiryTimers.remove(pair.id());
        if (timer != null) {
            timer.cancel();
        }
    }

    void pairEnded(PairRelay pair, long handshakeMillis, PairEnd end) {
        pairs.remove(pair.id());
        cancelTokenExpiry(pair);
        AccessLog.pair(state.config().clock().instant(), pair, handshakeMillis, end);
    }
}
