package io.wsgate.jetty;

import io.wsgate.core.Gateway;
import io.wsgate.jetty.internal.console.ConsoleJson;
import io.wsgate.jetty.internal.console.DiagnosedHandshake;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A test console for one gateway, as a Jetty {@link Handler} the application mounts where it chooses: a single page
 * (HTML, plain JavaScript and CSS from this jar; no CDN, works offline) to pick an API, connect to it from the
 * browser with a path, query parameters, subprotocols and a token, send text or binary messages, watch what comes
 * back, and disconnect with a code and reason, much like a managed gateway's test console. When a browser's
 * connection fails (it only sees close code 1006), <em>Diagnose</em> asks the console to run the API's handshake
 * checks and policies on the same request, without a backend ({@link Gateway#diagnose}), and shows which policy
 * refused it with the status and error code the client got.
 * <ul>
 *   <li>{@code GET /} (also {@code /index.html}), {@code /console.js}, {@code /console.css}: the page;</li>
 *   <li>{@code GET /apis}: the APIs the gateway serves (name, display name, URL suffix, schemes, where
 *       validate-jwt lets a browser put a token), as JSON;</li>
 *   <li>{@code POST /diagnose} (form fields {@code path}, {@code query}, {@code subprotocol}, {@code secure}; with
 *       the header {@code X-WsGate-Console}): a {@link io.wsgate.core.Diagnosis} as JSON.</li>
 * </ul>
 * Paths are matched below the handler's context path; any other is 404.
 *
 * <p><b>Off unless mounted; protect it.</b> It is meant for development and staging: it lists the APIs, and a
 * diagnosis runs their policies (a rate limit counts it). Mount it on a connector bound to loopback, or behind the
 * application's own security. It answers WebSockets to the gateway at its own origin (the page's WebSockets carry
 * the console's origin, which an API's check-origin policy may refuse), or at {@link Builder#gatewayUri}.
 *
 * <p>Thread-safe and non-blocking; requests are answered on Jetty's threads. Nothing it logs holds a query or a
 * token.
 */
public final class WsGateConsole extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(WsGateConsole.class);
    private static final String JSON = "application/json";
    /** The largest diagnose form, bytes: a path, a query and a few subprotocols with a token. */
    private static final int MAX_FORM = 64 * 1024;
    private static final int MAX_FIELDS = 64;
    /** The page's own scripts and styles only; WebSockets to any gateway, since it may be on another port. */
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private record Asset(String type, byte[] bytes) {
    }

    private static final Map<String, Asset> ASSETS = Map.of(
            "/", asset("index.html", "text/html; charset=utf-8"),
            "/index.html", asset("index.html", "text/html; charset=utf-8"),
            "/console.js", asset("console.js", "text/javascript; charset=utf-8"),
            "/console.css", asset("console.css", "text/css; charset=utf-8"));

    private final Gateway gateway;
    private final Optional<URI> gatewayUri;

    private WsGateConsole(Builder b) {
        super(InvocationType.NON_BLOCKING);
        this.gateway = b.gateway;
        this.gatewayUri = Optional.ofNullable(b.gatewayUri);
    }

    /**
     * @param gateway the gateway to show (a {@link WsGateHandler#gateway()} or {@link WsGateServlet#gateway()})
     * @return a builder
     */
    public static Builder builder(Gateway gateway) {
        return new Builder(gateway);
    }

    private static Asset asset(String name, String type) {
        try (InputStream in = WsGateConsole.class.getResourceAsStream("console/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the console's " + name + " is missing from the wsgate-jetty jar");
            }
            return new Asset(type, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        Asset asset = ASSETS.get(path);
        if (asset != null) {
            if (only(HttpMethod.GET, method, response, callback)) {
                response.getHeaders().put("Content-Security-Policy", CSP);
                write(response, callback, HttpStatus.OK_200, asset.type(), asset.bytes());
            }
        } else if (path.equals("/apis")) {
            if (only(HttpMethod.GET, method, response, callback)) {
                write(response, callback, HttpStatus.OK_200, JSON,
                        ConsoleJson.apis(gateway.config(), gatewayUri.map(URI::toString)));
            }
        } else if (path.equals("/diagnose")) {
            if (only(HttpMethod.POST, method, response, callback)) {
                diagnose(request, response, callback);
            }
        } else {
            error(response, callback, HttpStatus.NOT_FOUND_404,
                    "no such console resource; the page is at the console's root, with GET apis and POST diagnose");
        }
        return true;
    }

    private void diagnose(Request request, Response response, Callback callback) {
        if (request.getHeaders().get(DiagnosedHandshake.guardHeader()) == null) {
            // a plain form from another site cannot add a header: only the console's page (same origin) posts here.
            // Its body is left unread, so the connection ends with the answer: a client must not send another on it.
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            error(response, callback, HttpStatus.FORBIDDEN_403, "a diagnose request needs the header "
                    + DiagnosedHandshake.guardHeader() + " (the console's page sends it)");
            return;
        }
        String mount = gatewayUri.map(URI::getRawPath).map(p -> p.endsWith("/") ? p.substring(0, p.length() - 1) : p)
                .orElse("");
        // read as the body arrives; what follows does not block (the chain's policies are asynchronous)
        FormFields.onFields(request, StandardCharsets.UTF_8, MAX_FIELDS, MAX_FORM,
                Promise.Invocable.from(InvocationType.NON_BLOCKING, (form, failure) -> {
            if (failure != null) {
                error(response, callback, HttpStatus.BAD_REQUEST_400,
                        "send the form as application/x-www-form-urlencoded, at most " + MAX_FORM + " bytes");
                return;
            }
            Optional<DiagnosedHandshake> handshake = DiagnosedHandshake.from(request, form, mount);
            if (handshake.isEmpty()) {
                error(response, callback, HttpStatus.BAD_REQUEST_400,
                        "path must start with '/' and hold no query, fragment, space or control character");
                return;
            }
            gateway.diagnose(handshake.get().request(), handshake.get().pathInMount()).whenComplete((d, x) -> {
                if (x != null) {
                    LOG.warn("the diagnosis failed", x);
                    error(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, "the diagnosis failed");
                } else {
                    write(response, callback, HttpStatus.OK_200, JSON, ConsoleJson.diagnosis(d));
                }
            });
        }));
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
        write(response, callback, status, JSON, ConsoleJson.error(status, message));
    }

    private static void write(Response response, Callback callback, int status, String type, String body) {
        write(response, callback, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void write(Response response, Callback callback, int status, String type, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** Builds a {@link WsGateConsole}. Not thread-safe. */
    public static final class Builder {
        private final Gateway gateway;
        private URI gatewayUri;

        private Builder(Gateway gateway) {
            this.gateway = Objects.requireNonNull(gateway, "gateway");
        }

        /**
         * Where the page opens its WebSockets, when the gateway is not at the console's own origin and root
         * (another port, or a mount path): e.g. {@code ws://127.0.0.1:8080} or {@code wss://gw.example/ws}.
         *
         * @param uri the gateway's base URI, {@code ws://} or {@code wss://}, with its mount path
         * @return this builder
         */
        public Builder gatewayUri(URI uri) {
            Objects.requireNonNull(uri, "uri");
            if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme()) || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("the gateway URI must be ws://HOST[:PORT][/MOUNT] or wss://..., without"
                        + " query or fragment; got '" + uri + "'");
            }
            this.gatewayUri = uri;
            return this;
        }

        /** @return the console handler */
        public WsGateConsole build() {
            return new WsGateConsole(this);
        }
    }
}
