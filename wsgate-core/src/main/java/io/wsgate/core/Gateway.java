package io.wsgate.core;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.ConnectionPair;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.error.ErrorOverride;
import io.wsgate.core.error.GatewayError;
import io.wsgate.core.internal.handshake.ApiCatalog;
import io.wsgate.core.internal.handshake.ErrorResponses;
import io.wsgate.core.internal.observe.AccessLog;
import io.wsgate.core.internal.observe.GuardedListener;
import io.wsgate.core.internal.relay.PairDeadlines;
import io.wsgate.core.policy.ApiChains;
import io.wsgate.core.transport.BackendConnector;
import io.wsgate.core.transport.ClientHandshake;
import io.wsgate.core.transport.PairRelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A running gateway engine: the APIs of its {@link GatewayConfig}, the handshakes in progress
 * and the established pairs. Thread-safe; one per mounted Handler or Servlet. Transport-neutral:
 * an adapter hands each client handshake to {@link #handshake} with its two ports, and the gateway
 * decides everything else.
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
    /** Set once, when the gateway starts draining; it never serves again. */
    private final AtomicReference<Drain> drain = new AtomicReference<>();
    private final GatewayListener listener;
    private final AtomicInteger pending = new AtomicInteger();
    private final ConcurrentHashMap<String, PairRelay> pairs = new ConcurrentHashMap<>();
    private final PairDeadlines deadlines = new PairDeadlines();
    private final String idPrefix;
    private final AtomicLong ids = new AtomicLong();
    /** Unsubscribes the listener from the failures of the configuration's limit store. */
    private Runnable storeSubscription;

    private Gateway(GatewayConfig config, GatewayListener listener) {
        this.state = State.of(config);
        this.listener = listener;
        this.storeSubscription = config.limitStore().monitor().subscribe(listener::limitStoreFailed);
        this.idPrefix = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36, 36L * 36 * 36 * 36 * 36), 36) + "-";
    }

    /**
     * @param config the configuration
     * @return a gateway serving it
     */
    public static Gateway create(GatewayConfig config) {
        return create(config, List.of());
    }

    /**
     * @param config    the configuration
     * @param listeners hear every handshake and pair event, in this order (see {@link GatewayListener}:
     *                  one that throws never harms a handshake or a pair); they outlive {@link #reconfigure}
     * @return a gateway serving it
     */
    public static Gateway create(GatewayConfig config, List<GatewayListener> listeners) {
        Objects.requireNonNull(config, "config");
        return new Gateway(config, GuardedListener.of(listeners));
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
        State previous = state;
        state = next;
        synchronized (this) {
            if (previous.config().limitStore() != config.limitStore()) {
                storeSubscription.run();
                storeSubscription = config.limitStore().monitor().subscribe(listener::limitStoreFailed);
            }
        }
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
     * Takes one client handshake through the gateway: route and check the upgrade, run the API's
     * policies, connect the backend (with failover), and only after the backend's 101 upgrade the client
     * and establish the pair; or answer the client with the error. Returns at once; no thread waits.
     * Called by a transport adapter on the thread that received the request.
     *
     * @param request     the client's request
     * @param pathInMount the raw (percent-encoded) request path below the gateway's mount point,
     *                    matched against URL suffixes
     * @param client      answers this client: exactly one of its methods is called, once
     * @param backends    opens backend WebSockets
     * @return the handshake's request id (in the access log, the MDC and every error body)
     */
    public String handshake(HandshakeRequest request, String pathInMount, ClientHandshake client, BackendConnector backends) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(backends, "backends");
        Exchange exchange = exchange(request, pathInMount);
        HandshakeFlow.run(exchange, client, backends);
        return exchange.requestId();
    }

    /**
     * Starts one handshake, to be driven step by step ({@link HandshakeFlow} or a test). The listener hears
     * it started once it is routed ({@link Exchange#validate()}).
     */
    Exchange exchange(HandshakeRequest request, String pathInMount) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(pathInMount, "pathInMount");
        pending.incrementAndGet();
        return new Exchange(this, state, request, pathInMount, nextId());
    }

    /**
     * Runs a handshake through the gateway's checks and the API's policy chain as {@link #handshake} would, but stops
     * before the backend: for a test console, to say why a browser (which only sees close code 1006) was refused.
     * Nothing of a real handshake happens: no backend connection, no access-log line, no listener event, no pending
     * handshake counted and no connection permit taken. The policies do run, so one that counts (a rate limit, a
     * quota) counts this request, and one that calls out (a JWKS fetch, a custom authorizer) calls out. Called by a
     * console on a server thread; returns at once.
     *
     * @param request     the handshake to diagnose, as the client would send it (a well-formed upgrade)
     * @param pathInMount the raw request path below the gateway's mount point
     * @return completes (never exceptionally) with which step decided and what the client would get
     */
    public CompletionStage<Diagnosis> diagnose(HandshakeRequest request, String pathInMount) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(pathInMount, "pathInMount");
        return Diagnose.run(state, isDraining(), request, pathInMount, nextId());
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

    /**
     * @return how many timers of pairs are pending: deadlines (a token's expiry, a maximum lifetime) and keepalive
     *         checkers; each is cancelled when its pair ends
     */
    public int pairDeadlines() {
        return deadlines.pending();
    }

    /** @return true once {@link #drain} was called: handshakes get 503 {@code GATEWAY_DRAINING} (the admin health reads it) */
    public boolean isDraining() {
        return drain.get() != null;
    }

    /**
     * Drains the gateway, for good: stops admitting (every new handshake gets 503 {@code GATEWAY_DRAINING} with
     * {@code Retry-After} and {@code Connection: close}), lets the handshakes under way finish (a pair one of them
     * establishes is closed at once), closes both sides of every pair with the options' code and reason (at once,
     * or spread over the window), waits until every pair has ended or the timeout passed (counted from the last
     * close: at most {@code window + timeout} in all), then aborts the pairs left. The timers run on the
     * configuration's {@link Scheduler}. Once the stage has completed no pair is open and no timer of the drain
     * is left; a handshake still waiting for its backend at the timeout is not waited for (its pair, if any, is
     * aborted at once). Called by the application or the transport adapter (a Jetty Handler or Servlet that
     * stops), on any thread; returns at once.
     *
     * @param options how to drain; ignored when the gateway is draining already
     * @return completes with what the drain did; every call returns the same stage, the first call's options win
     */
    public CompletionStage<DrainResult> drain(DrainOptions options) {
        Objects.requireNonNull(options, "options");
        Drain next = new Drain(this, options);
        if (!drain.compareAndSet(null, next)) {
            return drain.get().result();
        }
        next.start();
        return next.result();
    }

    /** @return the options of the drain under way, if the gateway is draining */
    Optional<DrainOptions> draining() {
        Drain d = drain.get();
        return d == null ? Optional.empty() : Optional.of(d.options());
    }

    /** @return the relays of the established pairs, live */
    Collection<PairRelay> relays() {
        return pairs.values();
    }

    String nextId() {
        return idPrefix + Long.toString(ids.incrementAndGet(), 36);
    }

    /** @return the listener the gateway's events go to (guarded: it never throws) */
    GatewayListener listener() {
        return listener;
    }

    void exchangeEnded() {
        pending.decrementAndGet();
        drained();
    }

    void pairOpened(PairRelay pair) {
        pairs.put(pair.id(), pair);
        listener.pairOpened(pair);
        Drain d = drain.get();
        if (d != null) {
            d.pairOpened(pair); // a handshake under way when the drain began: closed at once
            return;
        }
        GatewayConfig config = state.config();
        deadlines.open(pair, config.scheduler(), config.clock(), config.random(), () -> pairs.containsKey(pair.id()));
    }

    void pairEnded(PairRelay pair, long handshakeMillis, PairEnd end) {
        pairs.remove(pair.id());
        deadlines.cancel(pair.id());
        AccessLog.pair(state.config().clock().instant(), pair, handshakeMillis, end);
        listener.pairClosed(pair, end);
        drained();
    }

    /** A pair or a handshake ended: a drain under way may be over. */
    private void drained() {
        Drain d = drain.get();
        if (d != null) {
            d.check();
        }
    }
}
