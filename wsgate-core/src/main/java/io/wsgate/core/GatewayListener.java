package io.wsgate.core;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.ConnectionPair;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.store.LimitStoreFailure;

import java.util.Optional;

/**
 * Hears what happens to every handshake and every pair of a gateway, in the spirit of OkHttp's
 * {@code EventListener}: one method per event, each with a no-op default, so a listener overrides only
 * what it needs. Metrics ({@code wsgate-micrometer}) and tests are listeners; the access log is not one
 * (it is always on, on the {@code wsgate.access} logger).
 *
 * <p><b>Threads.</b> Methods are called on the thread that made the event happen: a transport thread
 * (maybe a selector: never block in a listener), a policy's thread, a scheduler thread. Calls for one
 * handshake come in order ({@link #handshakeStarted} first, then exactly one of
 * {@link #handshakeRejected}, {@link #handshakeFailed} or {@link #handshakeAccepted}); calls for
 * different handshakes and pairs come concurrently, so implementations must be thread-safe.
 *
 * <p><b>Cost.</b> Nothing is called per frame: a pair's message and byte counts come with
 * {@link #pairClosed}, and are readable on the {@link ConnectionPair} at any time.
 *
 * <p><b>Failures.</b> A listener that throws is logged (once per listener method, then at debug) and
 * otherwise ignored: it never changes a handshake's outcome or harms a pair.
 */
public interface GatewayListener {

    /** A listener that hears nothing. */
    GatewayListener NONE = new GatewayListener() {
    };

    /**
     * A client's upgrade request reached the gateway and was routed; the handshake is pending until it
     * ends. Called once per handshake, before anything else is checked, so that a listener can count the
     * pending handshakes of each API: the {@link HandshakeOutcome#api()} that ends it names the same API
     * ({@code "-"} when {@code api} is empty).
     *
     * @param requestId the handshake's request id (in the access log and every error body)
     * @param request   the client's request
     * @param api       the API its path reaches; empty when none does (the handshake is then rejected with 404)
     */
    default void handshakeStarted(String requestId, HandshakeRequest request, Optional<ApiDefinition> api) {
    }

    /**
     * The gateway or a policy refused the handshake (no route, a malformed upgrade, a policy's reject,
     * a limit); no backend connection was made for it.
     *
     * @param outcome the request, its API, the status and error code the client got, how long it took
     */
    default void handshakeRejected(HandshakeOutcome outcome) {
    }

    /**
     * The handshake failed after it was admitted, or the gateway failed it: every backend tried failed
     * (502/504), a policy threw (500), or the client left before its upgrade was written (499).
     *
     * @param outcome the request, its API, the status and error code, how long it took
     */
    default void handshakeFailed(HandshakeOutcome outcome) {
    }

    /**
     * The backend answered 101 and the client was upgraded: the pair is established and is reported
     * next to {@link #pairOpened}.
     *
     * @param outcome the request, its API, status 101, error {@code none}, the time from request to 101
     */
    default void handshakeAccepted(HandshakeOutcome outcome) {
    }

    /**
     * A pair is established; it is among the gateway's pairs until {@link #pairClosed}.
     *
     * @param pair the pair (its counters are live)
     */
    default void pairOpened(ConnectionPair pair) {
    }

    /**
     * A pair has ended, both sides closed; it is forgotten after this call.
     *
     * @param pair the pair, its counters final
     * @param end  how it ended: who decided, why, the code each side got, how long it lived
     */
    default void pairClosed(ConnectionPair pair, PairEnd end) {
    }

    /**
     * The gateway's configuration was reloaded from its source (a watched file, or a reload asked for by an
     * operator), or a reload was attempted and failed, leaving the configuration in force. Called on the thread
     * that reloaded (the file watcher's, or the one that asked); a metrics listener counts these by
     * {@link ReloadResult#outcomeTag()}. A failed attempt of the same content is reported once.
     *
     * @param result the outcome, its message (the located error when it failed) and when it happened
     */
    default void configReloaded(ReloadResult result) {
    }

    /**
     * A call to the gateway's shared limit store ({@link GatewayConfig#limitStore()}, e.g. Redis) failed: the store
     * is down or slower than its command timeout. The handshake was refused with 503 {@code LIMIT_STORE_UNAVAILABLE}
     * or limited locally, as the store's failure mode says; a failed renewal or release harms no pair. Called on the
     * store client's or the scheduler's thread, for every failure (the log has one line per outage); a metrics
     * listener counts them.
     *
     * @param failure the store, the operation, the failure mode, why, and whether it began an outage
     */
    default void limitStoreFailed(LimitStoreFailure failure) {
    }
}
