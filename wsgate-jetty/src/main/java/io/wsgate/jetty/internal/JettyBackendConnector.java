package io.wsgate.jetty.internal;

import io.wsgate.api.ApiLimits;
import io.wsgate.api.BackendRequest;
import io.wsgate.api.Headers;
import io.wsgate.core.BackendFailure;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest;
import org.eclipse.jetty.websocket.core.client.UpgradeListener;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;
import org.eclipse.jetty.websocket.core.exception.UpgradeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Opens the gateway's WebSocket to a backend with Jetty's websocket-core client: the policies'
 * URI and headers, the client's subprotocols, no extension, the API's handshake timeout. A failed
 * handshake completes the future with a {@link BackendFailureException} that says why.
 */
public final class JettyBackendConnector {

    private static final Logger LOG = LoggerFactory.getLogger(JettyBackendConnector.class);

    /** The backend response headers a client may see when the backend refused the upgrade. */
    private static final Set<String> SAFE_HEADERS = Set.of("www-authenticate", "retry-after");

    /** What a handshake's outcome leaves behind for a backend connection installed after it was decided. */
    private static final Object ABANDONED = new Object();

    private final WebSocketCoreClient client;

    /**
     * @param client a websocket-core client, started by whoever manages it, that keeps no cookies
     * @throws IllegalStateException if the client's HTTP client has a cookie store other than
     *                               {@link HttpCookieStore.Empty}: a cookie one backend response set
     *                               would be sent with every later user's handshake to that backend
     */
    public JettyBackendConnector(WebSocketCoreClient client) {
        HttpCookieStore cookies = client.getHttpClient().getHttpCookieStore();
        if (cookies == null && !client.getHttpClient().isStarted()) {
            // not configured: Jetty would put its default store in at start
            client.getHttpClient().setHttpCookieStore(new HttpCookieStore.Empty());
        } else if (!(cookies instanceof HttpCookieStore.Empty)) {
            throw new IllegalStateException("the backend client keeps cookies (" + cookies + "): one user's backend"
                    + " cookies would go out with other users' handshakes; give its HttpClient"
                    + " setHttpCookieStore(new HttpCookieStore.Empty())");
        }
        this.client = client;
    }

    /** @return the websocket-core client in use */
    public WebSocketCoreClient client() {
        return client;
    }

    /** A failed backend handshake, classified. */
    public static final class BackendFailureException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient BackendFailure failure;

        BackendFailureException(BackendFailure failure, Throwable cause) {
            super(failure.toString(), cause, false, false);
            this.failure = failure;
        }

        /** @return why the handshake failed */
        public BackendFailure failure() {
            return failure;
        }
    }

    /**
     * The backend's connection after its 101.
     *
     * @param connection  the backend side of the pair, open, not yet reading
     * @param subprotocol the subprotocol the backend chose; empty for none
     */
    public record Upgraded(RelayConnection connection, String subprotocol) {
    }

    /**
     * Starts the backend handshake.
     *
     * @param request the backend request the policies shaped
     * @param limits  the API's limits
     * @param side    makes the backend side's connection on the upgraded end point
     * @return completed with the backend's connection after its 101, or with a {@link BackendFailureException}
     */
    public CompletableFuture<Upgraded> connect(BackendRequest request, ApiLimits limits,
                                               Function<EndPoint, RelayConnection> side) {
        AtomicReference<Response> response = new AtomicReference<>();
        // the backend's connection once installed; ABANDONED once the outcome is decided without it
        AtomicReference<Object> made = new AtomicReference<>();
        CompletableFuture<CoreSession> future;
        Scheduler.Task timer = null;
        try {
            CoreClientUpgradeRequest upgrade = new CoreClientUpgradeRequest(client, request.uri()) {
                @Override
                public FrameHandler getFrameHandler() {
                    return RelayUpgrades.UNUSED_HANDLER;
                }

                @Override
                public void upgrade(Response resp, EndPoint endPoint) {
                    super.upgrade(resp, RelayUpgrades.backendEndPoint(endPoint, side, client.getEventListeners(),
                            relay -> {
                                if (!made.compareAndSet(null, relay)) {
                                    // the handshake timed out while the 101 was being handled
                                    relay.abort();
                                }
                            }));
                }
            };
            upgrade.setSubProtocols(request.subprotocols());
            upgrade.headers(fields -> request.headers().forEach((name, value) -> {
                if (!name.equalsIgnoreCase("host")) {
                    fields.add(name, value);
                }
            }));
            upgrade.addListener(new UpgradeListener() {
                @Override
                public void onHandshakeResponse(Request req, Response resp) {
                    response.set(resp);
                }
            });
            future = client.connect(upgrade);
            timer = failUnlessDoneWithin(future, limits.handshakeTimeout());
        } catch (Throwable t) {
            future = CompletableFuture.failedFuture(t);
        }
        Scheduler.Task handshakeTimer = timer;
        return future.handle((session, failure) -> {
            if (handshakeTimer != null) {
                handshakeTimer.cancel();
            }
            Object installed = made.getAndSet(ABANDONED);
            if (failure == null && installed instanceof RelayConnection connection) {
                String subprotocol = session.getNegotiatedSubProtocol();
                return new Upgraded(connection, subprotocol == null ? "" : subprotocol);
            }
            if (installed instanceof RelayConnection connection) {
                // upgraded, but too late (the handshake timer fired): nobody will use it
                connection.abort();
            }
            Throwable why = failure != null ? failure : new IllegalStateException("upgraded without a relay connection");
            throw new BackendFailureException(classify(request, why, response.get()), why);
        });
    }

    /**
     * The handshake timeout, on the client's scheduler: failing the future aborts Jetty's request.
     * Not {@code Request.timeout(...)}: after an upgrade Jetty never cancels that request's timer,
     * which then holds the upgraded connection, and with it the whole pair, until the timeout
     * would have expired (measured: ten seconds' worth of closed pairs kept alive under a handshake load).
     */
    private Scheduler.Task failUnlessDoneWithin(CompletableFuture<CoreSession> future, Duration timeout) {
        long millis = timeout.toMillis();
        return client.getHttpClient().getScheduler().schedule(() -> future.completeExceptionally(
                new TimeoutException("no backend handshake response within " + millis + " ms")), millis, TimeUnit.MILLISECONDS);
    }

    static BackendFailure classify(BackendRequest request, Throwable failure, Response response) {
        Throwable t = unwrap(failure);
        if (LOG.isDebugEnabled()) {
            LOG.debug("backend handshake to {} failed", request.uri(), t);
        }
        int status = response != null ? response.getStatus() : 0;
        if (status == 0 && t instanceof UpgradeException ue) {
            status = ue.getResponseStatusCode();
        }
        if (status == 101) {
            return new BackendFailure.InvalidHandshake(describe(t));
        }
        if (status > 0) {
            return new BackendFailure.Refused(status, response == null ? Headers.empty() : safeHeaders(response), "");
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof TimeoutException) {
                return new BackendFailure.Timeout();
            }
            if (c instanceof UnknownHostException) {
                return new BackendFailure.UnknownHost(request.uri().getHost());
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return new BackendFailure.Unreachable(t);
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        if (t.getCause() != null && t.getCause().getMessage() != null) {
            m = t.getCause().getMessage();
        }
        return m == null ? t.getClass().getSimpleName() : m;
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static Headers safeHeaders(Response response) {
        Headers.Builder b = Headers.builder();
        for (HttpField f : response.getHeaders()) {
            if (SAFE_HEADERS.contains(f.getName().toLowerCase(Locale.ROOT))) {
                b.add(f.getName(), f.getValue());
            }
        }
        return b.build();
    }
}
