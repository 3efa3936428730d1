package io.wsgate.core;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.BackendChange;
import io.wsgate.api.BackendRequest;
import io.wsgate.api.HandshakeContext;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.api.Headers;
import io.wsgate.api.UrlScheme;
import io.wsgate.core.error.GatewayError;
import io.wsgate.core.internal.handshake.ApiCatalog;
import io.wsgate.core.internal.handshake.BackendRequests;
import io.wsgate.core.internal.handshake.ErrorResponses;
import io.wsgate.core.internal.handshake.PolicyChainRunner;
import io.wsgate.core.internal.handshake.UpgradeCheck;
import io.wsgate.core.internal.observe.AccessLog;
import io.wsgate.core.internal.relay.DefaultPairRelay;
import io.wsgate.core.internal.relay.PairInfo;
import io.wsgate.core.policy.MessageChains;
import io.wsgate.core.policy.PolicyCatalog;
import io.wsgate.core.policy.ProductSelection;
import io.wsgate.core.policy.limit.ConnectionLimiter;
import io.wsgate.core.store.LimitStoreUnavailableException;
import io.wsgate.core.transport.Admission;
import io.wsgate.core.transport.BackendConnector;
import io.wsgate.core.transport.BackendFailure;
import io.wsgate.core.transport.ClientHandshake;
import io.wsgate.core.transport.ErrorResponse;
import io.wsgate.core.transport.LogSafe;
import io.wsgate.core.transport.PairRelay;
import io.wsgate.core.transport.TransportSide;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One client handshake on its way through the gateway: its steps and what each ends with. A
 * {@link HandshakeFlow} takes it through them, calling the transport's two ports, each step from the
 * completion of the one before (no thread waits):
 * <ol>
 *   <li>{@link #validate()}: route to an API and check the upgrade (404, 426, 400, 405, 403, 503);</li>
 *   <li>{@link #admit()}: run the API's policy chain (reject, or the backend request to send);</li>
 *   <li>connect to the backend through the {@link BackendConnector}; when a backend cannot be reached,
 *       {@link #nextBackend} says whether the next of the API's backends is tried;</li>
 *   <li>when every try failed, {@link #backendFailed} makes the client's error response; else the client
 *       is upgraded through its {@link ClientHandshake} with the backend's subprotocol, and
 *       {@link #establish} makes the pair's relay, which both sides then start reading for;</li>
 *   <li>{@link #abandon} when the client's upgrade fails after the backend connected.</li>
 * </ol>
 * Every refusal is logged on {@code wsgate.access} as it is produced; an established pair is
 * logged when it ends. Exactly one of {@code validate}'s error, {@code admit}'s refusal,
 * {@code backendFailed}, {@code establish} or {@code abandon} ends an exchange; later calls of
 * those are ignored (and logged at debug). The steps are package-private so that tests can take
 * them one at a time; transports only see {@link Gateway#handshake}. (A little over 400 lines: every way a
 * handshake can end, with its permit, access-log line and listener event, is kept in this one class so
 * that exactly-once is checkable in one place.)
 */
final class Exchange {

    private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);

    private final Gateway gateway;
    private final Gateway.State state;
    private final HandshakeRequest request;
    private final String pathInMount;
    private final String requestId;
    private final long startNanos;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile ApiCatalog.Route route;
    /** The message policies of the chain the request runs: its pair's. */
    private volatile MessageChains messages = MessageChains.none();
    private volatile Map<String, Object> attributes = Map.of();
    private final AtomicReference<ConnectionLimiter.Permit> permit = new AtomicReference<>();
    /** The request selected its product with a subscription key, which the backend must not get. */
    private volatile boolean keyToStrip;

    Exchange(Gateway gateway, Gateway.State state, HandshakeRequest request, String pathInMount, String requestId) {
        this.gateway = gateway;
        this.state = state;
        this.request = request;
        this.pathInMount = pathInMount;
        this.requestId = requestId;
        this.startNanos = System.nanoTime();
    }

    /** @return the id of this handshake (in the access log, the MDC and every error body) */
    String requestId() {
        return requestId;
    }

    /** @return the client's request */
    HandshakeRequest request() {
        return request;
    }

    /**
     * Routes the request to an API and checks that it is a well-formed WebSocket upgrade that API
     * accepts. An error returned here ends the exchange (and is logged).
     *
     * @return the error response to write, or empty when the handshake may go on
     */
    Optional<ErrorResponse> validate() {
        Optional<ApiCatalog.Route> found = state.catalog().route(pathInMount);
        found.ifPresent(r -> route = r);
        started();
        Optional<DrainOptions> drain = gateway.draining();
        if (drain.isPresent()) {
            // the client should come back later, to another instance: this connection is not kept either
            Headers headers = Headers.of("Retry-After", drain.get().retryAfterSeconds(), "Connection", "close");
            return Optional.of(refuse(errors().render(GatewayError.GATEWAY_DRAINING, headers, requestId)));
        }
        if (found.isEmpty()) {
            return Optional.of(refuse(errors().render(GatewayError.API_NOT_FOUND, requestId)));
        }
        Optional<GatewayError> bad = UpgradeCheck.check(request);
        if (bad.isPresent()) {
            return Optional.of(refuse(errors().render(bad.get(), requestId)));
        }
        UrlScheme scheme = request.secure() ? UrlScheme.WSS : UrlScheme.WS;
        if (!route.api().schemes().contains(scheme)) {
            return Optional.of(refuse(errors().render(GatewayError.SCHEME_NOT_ALLOWED, requestId)));
        }
        return Optional.empty();
    }

    /**
     * @return the API the request reached
     * @throws IllegalStateException when {@link #validate()} found none
     */
    ApiDefinition api() {
        ApiCatalog.Route r = route;
        if (r == null) {
            throw new IllegalStateException("request " + requestId + " has not been routed to an API");
        }
        return r.api();
    }

    /**
     * Runs the API's effective policy chain. Never completes exceptionally: a policy that throws,
     * fails or times out becomes a 500 refusal. A refusal ends the exchange (and is logged).
     *
     * @return the admission: the backend request to send, or the response to write
     */
    CompletionStage<Admission> admit() {
        ApiDefinition api = api();
        BackendRequest initial;
        try {
            initial = BackendRequests.initial(api, request, route.restPath());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(
                    new Admission.Refused(refuse(errors().render(GatewayError.BAD_HANDSHAKE, requestId))));
        }
        ProductSelection selection = state.chains(api).select(request);
        if (selection instanceof ProductSelection.Refused refused) {
            return CompletableFuture.completedFuture(
                    new Admission.Refused(refuse(errors().render(refused.rejection(), requestId))));
        }
        ProductSelection.Selected selected = (ProductSelection.Selected) selection;
        messages = selected.chain().messages();
        if (selected.key().isPresent()) {
            // The subscription key is the gateway's credential, not the backend's: it is not forwarded.
            keyToStrip = true;
            initial = withoutSubscriptionKey(initial);
        }
        HandshakeContext context = new HandshakeContext(requestId, request, api, initial, selected.attributes());
        List<BackendChange> applied = Collections.synchronizedList(new ArrayList<>());
        CompletionStage<Admission> chain = PolicyChainRunner.run(selected.chain().policies(), context,
                state.config().policyTimeout(), errors(), applied);
        ConnectionLimiter limiter = state.config().connectionLimiter().orElse(null);
        if (limiter != null && limiter.isShared()) {
            // the permit comes from the shared store: one more stage, never on the in-memory path
            return chain.thenCompose(admission -> acquireShared(admission, applied, limiter));
        }
        return chain.thenApply(admission -> admitted(admission, applied, limiter));
    }

    private Admission admitted(Admission admission, List<BackendChange> applied, ConnectionLimiter limiter) {
        Admission checked = checked(admission, applied);
        if (limiter == null || !(checked instanceof Admission.Admitted admitted)) {
            return checked;
        }
        HandshakeContext after = new HandshakeContext(requestId, request, api(), admitted.backend(), admitted.attributes());
        return permitted(admitted, limiter.tryAcquire(after));
    }

    private CompletionStage<Admission> acquireShared(Admission admission, List<BackendChange> applied, ConnectionLimiter limiter) {
        Admission checked = checked(admission, applied);
        if (!(checked instanceof Admission.Admitted admitted)) {
            return CompletableFuture.completedFuture(checked);
        }
        HandshakeContext after = new HandshakeContext(requestId, request, api(), admitted.backend(), admitted.attributes());
        return limiter.acquire(after, state.config().scheduler()).handle((granted, error) -> {
            if (error == null) {
                return permitted(admitted, granted);
            }
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            if (!(cause instanceof LimitStoreUnavailableException)) {
                LOG.error("request {}: the connection limiter failed", requestId, cause);
                return new Admission.Refused(fail(errors().render(GatewayError.INTERNAL_ERROR, requestId)));
            }
            return new Admission.Refused(refuse(errors().render(
                    GatewayError.LIMIT_STORE_UNAVAILABLE.reject().withHeader("Retry-After", "1"), requestId)));
        });
    }

    /** Ends the exchange with the chain's refusal, or adds the failovers to its admission. */
    private Admission checked(Admission admission, List<BackendChange> applied) {
        if (admission instanceof Admission.Refused refused) {
            if (refused.response().code().equals(GatewayError.POLICY_ERROR.code())) {
                fail(refused.response()); // a policy threw or timed out: the gateway failed, not the client
            } else {
                refuse(refused.response());
            }
            return admission;
        }
        Admission.Admitted admitted = withFailovers((Admission.Admitted) admission, applied);
        attributes = admitted.attributes();
        return admitted;
    }

    /** Holds the permit the limiter granted (given back at once if the exchange ended meanwhile), or refuses. */
    private Admission permitted(Admission.Admitted admitted, Optional<ConnectionLimiter.Permit> granted) {
        if (granted.isEmpty()) {
            return new Admission.Refused(refuse(errors().render(GatewayError.CONNECTION_LIMIT.reject(), requestId)));
        }
        permit.set(granted.get());
        if (ended.get()) {
            releasePermit();
        }
        return admitted;
    }

    /** The request without the subscription key that selected its product (a header or a query parameter). */
    private BackendRequest withoutSubscriptionKey(BackendRequest backend) {
        PolicyCatalog catalog = state.config().policies();
        BackendRequest r = new BackendChange.RemoveHeader(catalog.subscriptionHeader()).applyTo(backend);
        return new BackendChange.RemoveQueryParameter(catalog.subscriptionQuery()).applyTo(r);
    }

    /**
     * Adds the API's failover backends, each with the client's path and query and the policies' changes applied
     * in order; none when a policy chose the backend ({@code set-backend} replaces the list).
     */
    private Admission.Admitted withFailovers(Admission.Admitted admitted, List<BackendChange> applied) {
        List<BackendChange> changes;
        synchronized (applied) {
            changes = List.copyOf(applied);
        }
        if (changes.stream().anyMatch(c -> c instanceof BackendChange.SetBackend)) {
            return admitted;
        }
        List<BackendRequest> failovers = BackendRequests.failovers(api(), request, route.restPath(), requestId, candidate -> {
            BackendRequest r = keyToStrip ? withoutSubscriptionKey(candidate) : candidate;
            for (BackendChange change : changes) {
                r = change.applyTo(r);
            }
            return r;
        });
        return new Admission.Admitted(admitted.backend(), admitted.limits(), admitted.attributes(), failovers);
    }

    /**
     * The backend handshake of {@code failed} failed: when the failure is one that allows failover and the
     * admission has another backend, says which handshake to try next, within this same exchange (which
     * does not end). Failover happens only for a backend that could not be reached
     * ({@link BackendFailure.Unreachable}: connection refused or reset, TLS failure;
     * {@link BackendFailure.UnknownHost}): no backend answered, so the next one may. Never for an HTTP
     * refusal (the backend answered about this request: another would most likely say the same, and the
     * client must see the answer), an invalid handshake (a backend fault to surface, not an outage), or a
     * timeout (the backend may still be working on it, and each further try would add a whole handshake
     * timeout to the client's wait). When this returns empty, call {@link #backendFailed} with the failure.
     *
     * @param failed  the admission whose backend handshake failed
     * @param failure why it failed
     * @return the admission to connect next, or empty when the exchange must fail with {@code failure}
     */
    Optional<Admission.Admitted> nextBackend(Admission.Admitted failed, BackendFailure failure) {
        Objects.requireNonNull(failed, "failed");
        Objects.requireNonNull(failure, "failure");
        if (ended.get() || !(failure instanceof BackendFailure.Unreachable || failure instanceof BackendFailure.UnknownHost)) {
            return Optional.empty();
        }
        Optional<Admission.Admitted> next = failed.next();
        if (next.isPresent()) {
            // the backend URIs carry the client's query, which may hold a token: logged without it
            LOG.warn("request {}: backend {} of API '{}' unreachable ({}); trying the next one, {}", requestId,
                    LogSafe.uri(failed.backend().uri()), apiName(), describe(failure), LogSafe.uri(next.get().backend().uri()));
        }
        return next;
    }

    private static String describe(BackendFailure failure) {
        if (failure instanceof BackendFailure.Unreachable u) {
            return u.cause().toString();
        }
        return failure.toString();
    }

    /**
     * The backend handshake failed; ends the exchange (and logs it).
     *
     * @param failure what happened
     * @return the response to write to the client (no internal address, no stack trace)
     */
    ErrorResponse backendFailed(BackendFailure failure) {
        Objects.requireNonNull(failure, "failure");
        if (failure instanceof BackendFailure.Unreachable u) {
            LOG.warn("request {}: backend of API '{}' unreachable: {}", requestId, apiName(), u.cause().toString());
        } else if (failure instanceof BackendFailure.InvalidHandshake i) {
            LOG.warn("request {}: backend of API '{}' answered an invalid handshake: {}", requestId, apiName(), i.reason());
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("request {}: backend handshake of API '{}' failed: {}", requestId, apiName(), failure);
        }
        return fail(errors().render(failure, requestId));
    }

    /**
     * The backend request the policies made cannot be sent (the transport found a header, a subprotocol
     * or a URI that HTTP/1.1 cannot carry): a policy bug, like a policy that throws. Ends the exchange and
     * logs why; the client gets 500 {@code POLICY_ERROR} with the request id. No backend is tried.
     *
     * @param why what cannot be sent, for the log
     * @return the response to write to the client
     */
    ErrorResponse backendRequestInvalid(String why) {
        Objects.requireNonNull(why, "why");
        LOG.error("request {}: the policies of API '{}' made a backend request that cannot be sent ({}); the client gets 500 {}",
                requestId, apiName(), why, GatewayError.POLICY_ERROR.code());
        return fail(errors().render(GatewayError.POLICY_ERROR, requestId));
    }

    /**
     * Both handshakes succeeded: the pair is established. Ends the exchange; the pair is logged
     * when it ends.
     *
     * @param subprotocol the subprotocol the backend chose; empty for none
     * @param backendUri  the URI the gateway connected to
     * @param client      the client's connection
     * @param backend     the backend's connection
     * @return the relay the transport hands every frame and every end to
     * @throws IllegalStateException when the exchange has already ended
     */
    PairRelay establish(String subprotocol, URI backendUri, TransportSide client, TransportSide backend) {
        Objects.requireNonNull(subprotocol, "subprotocol");
        Objects.requireNonNull(backendUri, "backendUri");
        if (!ended.compareAndSet(false, true)) {
            throw new IllegalStateException("request " + requestId + " has already ended");
        }
        try {
            long handshakeMillis = elapsedMillis();
            ConnectionLimiter.Permit held = permit.getAndSet(null);
            PairInfo info = new PairInfo("c" + requestId, requestId, api(), request, backendUri, subprotocol, attributes,
                    state.config().clock().instant(), handshakeMillis, state.config().clock());
            DefaultPairRelay relay = new DefaultPairRelay(info, client, backend,
                    (pair, how) -> {
                        if (held != null) {
                            held.release();
                        }
                        gateway.pairEnded(pair, handshakeMillis, how);
                    }, messages);
            started();
            gateway.listener().handshakeAccepted(outcome(101, HandshakeOutcome.NO_ERROR, handshakeMillis));
            gateway.pairOpened(relay);
            relay.openMessagePolicies();
            return relay;
        } finally {
            // only now, with the pair counted: a drain never sees neither this handshake nor its pair
            gateway.exchangeEnded();
        }
    }

    /**
     * The exchange ended before a pair was established for another reason than an error response
     * (the client left while the backend was connecting, the client upgrade failed).
     *
     * @param why a short description for the log
     */
    void abandon(String why) {
        releasePermit();
        if (end()) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("request {}: abandoned: {}", requestId, why);
            }
            long millis = elapsedMillis();
            AccessLog.refused(state.config().clock().instant(), requestId, apiName(), request, 499, "ABANDONED", millis);
            started();
            gateway.listener().handshakeFailed(outcome(499, "ABANDONED", millis));
        }
    }

    /** @return true once this exchange has ended one way or another */
    boolean isEnded() {
        return ended.get();
    }

    /** Ends the exchange with a refusal by the gateway's checks or a policy (logged, heard as rejected). */
    private ErrorResponse refuse(ErrorResponse response) {
        return endWith(response, false);
    }

    /**
     * The gateway itself failed at a step (a bug, logged by the caller); ends the exchange.
     *
     * @param error {@code INTERNAL_ERROR} or {@code POLICY_ERROR}
     * @return the response to write to the client (500 with the request id)
     */
    ErrorResponse internalError(GatewayError error) {
        return fail(errors().render(error, requestId));
    }

    /** Ends the exchange with a failure after admission, or of the gateway itself (logged, heard as failed). */
    private ErrorResponse fail(ErrorResponse response) {
        return endWith(response, true);
    }

    private ErrorResponse endWith(ErrorResponse response, boolean failed) {
        releasePermit();
        if (end()) {
            long millis = elapsedMillis();
            AccessLog.refused(state.config().clock().instant(), requestId, apiName(), request, response.status(),
                    response.code(), millis);
            HandshakeOutcome outcome = outcome(response.status(), response.code(), millis);
            started();
            if (failed) {
                gateway.listener().handshakeFailed(outcome);
            } else {
                gateway.listener().handshakeRejected(outcome);
            }
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("request {}: {} after the exchange ended", requestId, response.code());
        }
        return response;
    }

    /**
     * Tells the listener that the handshake started, once, with the API it was routed to: from
     * {@link #validate()} once routed, or before the event that ends the exchange when that came first
     * (validate threw, or a test drove the steps without it), so that started always precedes the end.
     */
    private void started() {
        if (started.compareAndSet(false, true)) {
            ApiCatalog.Route r = route;
            gateway.listener().handshakeStarted(requestId, request, r == null ? Optional.empty() : Optional.of(r.api()));
        }
    }

    private HandshakeOutcome outcome(int status, String error, long millis) {
        return new HandshakeOutcome(requestId, apiName(), request, status, error, Duration.ofMillis(millis));
    }

    private void releasePermit() {
        ConnectionLimiter.Permit p = permit.getAndSet(null);
        if (p != null) {
            p.release();
        }
    }

    private boolean end() {
        if (ended.compareAndSet(false, true)) {
            gateway.exchangeEnded();
            return true;
        }
        return false;
    }

    /** @return the error renderer of the API the request reached, or the gateway's before routing */
    private ErrorResponses errors() {
        ApiCatalog.Route r = route;
        return r == null ? state.errors() : state.errors(r.api());
    }

    private String apiName() {
        ApiCatalog.Route r = route;
        return r == null ? "-" : r.api().name();
    }

    private long elapsedMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
