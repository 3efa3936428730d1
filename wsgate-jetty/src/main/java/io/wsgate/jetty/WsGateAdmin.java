package io.wsgate.jetty;

import io.wsgate.core.Gateway;
import io.wsgate.jetty.internal.admin.AdminJson;
import io.wsgate.jetty.internal.admin.PairsPage;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The admin endpoints of one gateway, as a Jetty {@link Handler} the application mounts where it chooses:
 * <ul>
 *   <li>{@code GET /health}: 200 {@code {"status":"UP"}} while the gateway serves, 503
 *       {@code {"status":"DRAINING"}} once a drain began; with the counts of pairs and pending handshakes,
 *       and the last reload's outcome when the gateway was built from a reloading file;</li>
 *   <li>{@code GET /metrics}: the metrics text the application gave ({@link Builder#metrics}, e.g. a
 *       Prometheus registry's {@code scrape()}); 404 when none;</li>
 *   <li>{@code GET /pairs?offset=0&limit=100}: the live pairs, oldest first, a page at a time (at most
 *       {@value PairsPage#MAX_LIMIT}): id, API, client address, opened at, messages and bytes each way;
 *       never a query string, a header or a token;</li>
 *   <li>{@code POST /reload}: reload the gateway's file now ({@link Builder#reload}); 200 with the outcome,
 *       422 when the file did not load (the configuration in force stays), 404 when the gateway was not
 *       built from a file.</li>
 * </ul>
 * Paths are matched below the handler's context path; any other path is 404, another method 405.
 *
 * <p><b>Protect it.</b> Nothing here authenticates: the list of pairs shows client addresses, and
 * {@code /reload} changes what the gateway serves. It is never mounted by the gateway itself; mount it on
 * a connector bound to loopback (as the demo jar does with {@code --admin-port}) or behind the
 * application's own security.
 *
 * <p>Thread-safe. Requests are answered on Jetty's threads; {@code /reload} reads the file there (it blocks).
 */
public final class WsGateAdmin extends Handler.Abstract {

    /** The content type of Prometheus' text exposition format 0.0.4. */
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private static final String JSON = "application/json";

    private final Gateway gateway;
    private final Supplier<String> metrics;
    private final String metricsType;
    private final Supplier<Reload> reload;
    private final Supplier<Optional<Reload>> lastReload;

    private WsGateAdmin(Builder b) {
        super(InvocationType.BLOCKING);
        this.gateway = b.gateway;
        this.metrics = b.metrics;
        this.metricsType = b.metricsType;
        this.reload = b.reload;
        this.lastReload = b.lastReload;
    }

    /**
     * @param gateway the gateway to report on (a {@link WsGateHandler#gateway()} or {@link WsGateServlet#gateway()})
     * @return a builder
     */
    public static Builder builder(Gateway gateway) {
        return new Builder(gateway);
    }

    /**
     * The outcome of a reload, as the admin endpoints show it.
     *
     * @param applied true when the configuration in force is the file's (new, or unchanged)
     * @param outcome a word for it: {@code applied}, {@code unchanged}, {@code failed}
     * @param message what happened; for a failure the located error ({@code file:line:col: ...})
     * @param at      when, ISO-8601
     */
    public record Reload(boolean applied, String outcome, String message, String at) {
        /** Checks the fields. */
        public Reload {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(at, "at");
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        switch (path) {
            case "/health" -> {
                if (only(HttpMethod.GET, method, response, callback)) {
                    boolean draining = gateway.isDraining();
                    write(response, callback, draining ? HttpStatus.SERVICE_UNAVAILABLE_503 : HttpStatus.OK_200, JSON,
                            AdminJson.health(draining, gateway.openPairs(), gateway.pendingHandshakes(),
                                    lastReload.get()));
                }
            }
            case "/metrics" -> {
                if (only(HttpMethod.GET, method, response, callback)) {
                    if (metrics == null) {
                        error(response, callback, HttpStatus.NOT_FOUND_404, "no metrics registry was given to the admin endpoint");
                    } else {
                        write(response, callback, HttpStatus.OK_200, metricsType, metrics.get());
                    }
                }
            }
            case "/pairs" -> {
                if (only(HttpMethod.GET, method, response, callback)) {
                    Fields query = Request.extractQueryParameters(request);
                    Optional<PairsPage> page = PairsPage.of(gateway.pairs(), query.getValue("offset"), query.getValue("limit"));
                    if (page.isEmpty()) {
                        error(response, callback, HttpStatus.BAD_REQUEST_400,
                                "offset must be a number >= 0 and limit a number from 1 to " + PairsPage.MAX_LIMIT);
                    } else {
                        write(response, callback, HttpStatus.OK_200, JSON, AdminJson.pairs(page.get()));
                    }
                }
            }
            case "/reload" -> {
                if (only(HttpMethod.POST, method, response, callback)) {
                    if (reload == null) {
                        error(response, callback, HttpStatus.NOT_FOUND_404, "the gateway was not built from a reloading file");
                    } else {
                        Reload outcome = reload.get();
                        write(response, callback, outcome.applied() ? HttpStatus.OK_200 : HttpStatus.UNPROCESSABLE_ENTITY_422,
                                JSON, AdminJson.reload(outcome));
                    }
                }
            }
            default -> error(response, callback, HttpStatus.NOT_FOUND_404,
                    "no such admin endpoint; there are GET /health, GET /metrics, GET /pairs and POST /reload");
        }
        return true;
    }

    private static boolean only(HttpMethod allowed, String method, Response response, Callback callback) {
        if (allowed.is(method) || allowed == HttpMethod.GET && HttpMethod.HEAD.is(method)) {
            return true;
        }
        response.getHeaders().put(HttpHeader.ALLOW, allowed.asString());
        error(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "use " + allowed.asString());
        return false;
    }

    private static void error(Response response, Callback callback, int status, String message) {
        write(response, callback, status, JSON, AdminJson.error(status, message));
    }

    private static void write(Response response, Callback callback, int status, String type, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, java.nio.ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }

    /** Builds a {@link WsGateAdmin}. Not thread-safe. */
    public static final class Builder {
        private final Gateway gateway;
        private Supplier<String> metrics;
        private String metricsType = PROMETHEUS_TEXT;
        private Supplier<Reload> reload;
        private Supplier<Optional<Reload>> lastReload = Optional::empty;

        private Builder(Gateway gateway) {
            this.gateway = Objects.requireNonNull(gateway, "gateway");
        }

        /**
         * Serves {@code GET /metrics} in Prometheus' text format, e.g. {@code metrics(prometheusRegistry::scrape)}.
         *
         * @param scrape gives the text, called on a Jetty thread for every request
         * @return this builder
         */
        public Builder metrics(Supplier<String> scrape) {
            return metrics(PROMETHEUS_TEXT, scrape);
        }

        /**
         * Serves {@code GET /metrics} in another format.
         *
         * @param contentType the response's content type
         * @param scrape      gives the body, called on a Jetty thread for every request
         * @return this builder
         */
        public Builder metrics(String contentType, Supplier<String> scrape) {
            this.metricsType = Objects.requireNonNull(contentType, "contentType");
            this.metrics = Objects.requireNonNull(scrape, "scrape");
            return this;
        }

        /** @return the admin handler */
        public WsGateAdmin build() {
            return new WsGateAdmin(this);
        }
    }
}
