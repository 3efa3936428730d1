package io.wsgate.jetty.internal;

import io.wsgate.api.BackendRequest;
import io.wsgate.api.Headers;
import io.wsgate.core.transport.BackendFailure;
import io.wsgate.jetty.internal.relay.RelayConnection;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The client side of a backend's opening handshake (RFC 6455 §4.1), on a connection just made (TCP,
 * or TLS once its own handshake is done): writes the upgrade request in one write, reads the response
 * with Jetty's HTTP parser, checks it, and after a valid 101 upgrades the end point to the backend
 * side's {@link RelayConnection}, which gets the bytes that came behind the 101.
 *
 * <p>It replaces Jetty's HTTP client and websocket-core client on this path: their request,
 * exchange, destination and session objects, and their thread hand-offs, were a fifth of the
 * gateway's CPU per handshake (wsgate-bench, handshake mode), for one request and one response.
 */
final class BackendHandshake extends AbstractConnection implements Connection.UpgradeFrom, HttpParser.ResponseHandler {

    private static final Logger LOG = LoggerFactory.getLogger(BackendHandshake.class);

    /** The largest backend response head (status line and headers) read; a larger one is an invalid handshake. */
    static final int MAX_RESPONSE_HEAD_BYTES = 16 * 1024;

    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** Headers the handshake itself writes; a policy's headers of these names are not sent. */
    private static final Set<String> OWN_HEADERS = Set.of("host", "upgrade", "connection", "sec-websocket-key",
            "sec-websocket-version", "sec-websocket-protocol", "sec-websocket-extensions", "sec-websocket-accept",
            "content-length", "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");

    /** The backend response headers a client may see when the backend refused the upgrade. */
    private static final Set<String> SAFE_HEADERS = Set.of("www-authenticate", "retry-after");

    /** What becomes of the handshake; exactly one method is called, once. */
    interface Outcome {
        /**
         * The backend answered 101 and the end point now runs the relay connection.
         *
         * @param connection  the backend side of the pair, open, not yet reading
         * @param subprotocol the subprotocol the backend chose; empty for none
         */
        void upgraded(RelayConnection connection, String subprotocol);

        /**
         * The handshake failed; the connection is closed.
         *
         * @param failure why
         * @param cause   the exception behind it, or null
         */
        void failed(BackendFailure failure, Throwable cause);
    }

    /** Makes the relay connection on the upgraded end point. */
    interface Upgrade {
        RelayConnection connection(EndPoint endPoint);
    }

    private final BackendRequest request;
    private final String key;
    private final ByteBuffer head;
    private final Upgrade upgrade;
    private final Outcome outcome;
    /** No limit of its own: {@link #onFillable} counts, so that a large head gets a clear reason. */
    private final HttpParser parser = new HttpParser(this, -1);
    private final ByteBuffer in = ByteBuffer.allocate(4096).flip();

    // ---- the response, as parsed (one thread at a time: the reads)
    private int status;
    private final List<HttpField> fields = new ArrayList<>();
    private boolean headComplete;
    private int headBytes;
    private String badResponse;
    /** Set once the outcome is decided (by a read, a failed write or a close, on whichever thread). */
    private final AtomicBoolean ended = new AtomicBoolean();

    /**
     * @param endPoint the new connection to the backend
     * @param executor runs the reads
     * @param request  what the policies made of the backend request
     * @param key      the Sec-WebSocket-Key in {@code head}
     * @param head     the request head ({@link #requestHead}), not shared with another connection
     * @param upgrade  makes the relay connection after a 101
     * @param outcome  told how the handshake ended
     */
    BackendHandshake(EndPoint endPoint, Executor executor, BackendRequest request, String key, ByteBuffer head,
                     Upgrade upgrade, Outcome outcome) {
        super(endPoint, executor);
        this.request = request;
        this.key = key;
        this.head = head;
        this.upgrade = upgrade;
        this.outcome = outcome;
    }

    /** @return a fresh Sec-WebSocket-Key: 16 random bytes in base64 (RFC 6455 §4.1) */
    static String newKey() {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    @Override
    public void onOpen() {
        super.onOpen();
        // The connector's idle timeout stays (if it is shorter than the handshake timeout and expires
        // first, that is a timeout too: broken() classifies it); the relay connection sets the API's.
        getEndPoint().write(Callback.from(this::fillInterested, this::broken), head);
    }

    @Override
    public void onFillable() {
        try {
            while (!ended.get()) {
                if (!in.hasRemaining()) {
                    in.clear().flip();
                    int n = getEndPoint().fill(in);
                    if (n == 0) {
                        fillInterested();
                        return;
                    }
                    if (n < 0) {
                        broken(new EOFException("the backend closed the connection before answering the handshake"));
                        return;
                    }
                    headBytes += n;
                }
                boolean stop;
                try {
                    stop = parser.parseNext(in);
                } catch (Throwable x) {
                    // Jetty's parser reports most bad responses (badMessage), but throws for some: with
                    // assertions on, the exception it makes for a bad 1xx or 2xx response fails an assert
                    fail(new BackendFailure.InvalidHandshake("the backend's handshake response is not valid HTTP: " + x), x);
                    return;
                }
                if (badResponse != null) {
                    fail(new BackendFailure.InvalidHandshake(badResponse), null);
                    return;
                }
                // the bytes left in the buffer after a complete head are frames, not head
                boolean complete = stop || headComplete;
                if (complete && headBytes - in.remaining() <= MAX_RESPONSE_HEAD_BYTES) {
                    if (status >= 100 && status < 200 && status != 101) {
                        // an interim answer (100 Continue, 103 Early Hints): the real one follows
                        headBytes = in.remaining();
                        status = 0;
                        fields.clear();
                        headComplete = false;
                        parser.reset();
                        continue;
                    }
                    answered();
                    return;
                }
                if (complete || headBytes > MAX_RESPONSE_HEAD_BYTES) {
                    fail(new BackendFailure.InvalidHandshake("the backend's handshake response head is larger than "
                            + MAX_RESPONSE_HEAD_BYTES / 1024 + " KiB"), null);
                    return;
                }
            }
        } catch (Throwable x) {
            broken(x);
        }
    }

    @Override
    public void onFillInterestedFailed(Throwable cause) {
        broken(cause);
    }

    @Override
    public void onClose(Throwable cause) {
        super.onClose(cause);
        if (!ended.get()) {
            // closed under the handshake: the handshake timeout, a TLS failure, a reset
            broken(new IOException("the backend connection closed during the handshake", cause));
        }
    }

    /** The connection failed under the handshake (I/O, TLS): classified as the connector does its other failures. */
    private void broken(Throwable cause) {
        fail(JettyBackendConnector.classify(request, cause), cause);
    }

    @Override
    public ByteBuffer onUpgradeFrom() {
        // the backend's first frames, if it sent them with its 101; the relay connection copies them
        return in.hasRemaining() ? in : null;
    }

    /** The response head has been read: 101 and valid, or a refusal, or not a WebSocket answer. */
    private void answered() {
        if (status != 101) {
            fail(new BackendFailure.Refused(status, safeHeaders(), ""), null);
            return;
        }
        String invalid = null;
        String subprotocol = "";
        String upgradeHeader = null;
        boolean connectionUpgrade = false;
        String accept = null;
        int accepts = 0;
        int protocols = 0;
        for (HttpField f : fields) {
            String name = f.getLowerCaseName();
            String value = f.getValue() == null ? "" : f.getValue().trim();
            switch (name) {
                case "upgrade" -> upgradeHeader = value;
                case "connection" -> connectionUpgrade |= hasToken(value, "upgrade");
                case "sec-websocket-accept" -> {
                    accept = value;
                    accepts++;
                }
                case "sec-websocket-protocol" -> {
                    subprotocol = value;
                    protocols++;
                }
                case "sec-websocket-extensions" -> {
                    if (!value.isEmpty()) {
                        invalid = "the backend accepted an extension the gateway never offered: " + value;
                    }
                }
                default -> {
                }
            }
        }
        if (invalid != null) {
            // kept
        } else if (upgradeHeader == null || !upgradeHeader.equalsIgnoreCase("websocket")) {
            invalid = "the backend's 101 has no Upgrade: websocket";
        } else if (!connectionUpgrade) {
            invalid = "the backend's 101 has no Connection: Upgrade";
        } else if (accepts != 1 || !accept.equals(acceptFor(key))) {
            invalid = "the backend's Sec-WebSocket-Accept does not match the key sent";
        } else if (protocols > 1 || (protocols == 1 && !request.subprotocols().contains(subprotocol))) {
            invalid = "the backend chose a subprotocol the client never offered: " + subprotocol;
        }
        if (invalid != null) {
            fail(new BackendFailure.InvalidHandshake(invalid), null);
            return;
        }
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        RelayConnection relay;
        try {
            relay = upgrade.connection(getEndPoint());
            getEndPoint().upgrade(relay);
        } catch (Throwable x) {
            getEndPoint().close(x);
            outcome.failed(new BackendFailure.Unreachable(x), x);
            return;
        }
        if (!getEndPoint().isOpen()) {
            // closed (a timeout) while it was upgraded: Jetty may have told the old connection, not the relay one
            relay.onClose(null);
        }
        outcome.upgraded(relay, subprotocol);
    }

    private void fail(BackendFailure failure, Throwable cause) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("backend handshake to {} failed: {}", request.uri(), failure, cause);
        }
        getEndPoint().close(cause);
        outcome.failed(failure, cause);
    }

    private Headers safeHeaders() {
        Headers.Builder b = Headers.builder();
        for (HttpField f : fields) {
            if (SAFE_HEADERS.contains(f.getLowerCaseName())) {
                b.add(f.getName(), f.getValue() == null ? "" : f.getValue());
            }
        }
        return b.build();
    }

    // ------------------------------------------------------------------ HttpParser.ResponseHandler

    @Override
    public void startResponse(HttpVersion version, int status, String reason) {
        this.status = status;
    }

    @Override
    public void parsedHeader(HttpField field) {
        fields.add(field);
    }

    @Override
    public boolean headerComplete() {
        headComplete = true;
        // stop here: what follows a 101 is WebSocket frames, not an HTTP body
        return true;
    }

    @Override
    public boolean content(ByteBuffer item) {
        return false;
    }

    @Override
    public boolean contentComplete() {
        return false;
    }

    @Override
    public boolean messageComplete() {
        return true;
    }

    @Override
    public void earlyEOF() {
        // reported by onFillable
    }

    @Override
    public void badMessage(HttpException failure) {
        // the parser stops; onFillable reports it as an invalid handshake, not an unreachable backend
        String why = failure.getReason() == null ? "unreadable" : failure.getReason();
        badResponse = "the backend's handshake response is not valid HTTP: " + why;
    }

    // ------------------------------------------------------------------ the request

    /**
     * The upgrade request's head, in ISO-8859-1 as HTTP/1.1 has it.
     *
     * @throws IllegalArgumentException if the URI is not ws or wss, a header name or subprotocol is not an HTTP
     *                                  token, or a header value holds a character HTTP cannot carry
     */
    static ByteBuffer requestHead(BackendRequest request, String key) {
        URI uri = request.uri();
        if (!"ws".equalsIgnoreCase(uri.getScheme()) && !"wss".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("backend URI " + uri + " is not ws:// or wss://");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("backend URI " + uri + " has no host");
        }
        StringBuilder b = new StringBuilder(256);
        String path = uri.getRawPath();
        b.append("GET ").append(path == null || path.isEmpty() ? "/" : path);
        if (uri.getRawQuery() != null) {
            b.append('?').append(uri.getRawQuery());
        }
        b.append(" HTTP/1.1\r\nHost: ").append(uri.getHost());
        int port = uri.getPort();
        if (port > 0 && port != defaultPort(uri)) {
            b.append(':').append(port);
        }
        b.append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ").append(key)
                .append("\r\nSec-WebSocket-Version: 13\r\n");
        if (!request.subprotocols().isEmpty()) {
            for (String p : request.subprotocols()) {
                if (!isToken(p)) {
                    throw new IllegalArgumentException("subprotocol '" + p + "' is not an HTTP token (RFC 6455 §4.1)");
                }
            }
            b.append("Sec-WebSocket-Protocol: ").append(String.join(", ", request.subprotocols())).append("\r\n");
        }
        request.headers().forEach((name, value) -> {
            if (OWN_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                return;
            }
            checkHeader(name, value);
            b.append(name).append(": ").append(value).append("\r\n");
        });
        b.append("\r\n");
        return ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    static int defaultPort(URI uri) {
        return "wss".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7F || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static void checkHeader(String name, String value) {
        if (!isToken(name)) {
            throw new IllegalArgumentException("header name '" + name + "' is not an HTTP token");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F || c > 0xFF) {
                throw new IllegalArgumentException("header '" + name + "' has a character HTTP cannot carry (U+"
                        + String.format(Locale.ROOT, "%04X", (int) c) + ")");
            }
        }
    }

    /** @return the Sec-WebSocket-Accept a backend must answer this key with */
    static String acceptFor(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return Base64.getEncoder().encodeToString(sha1.digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
    }

    private static boolean hasToken(String list, String token) {
        for (String t : list.split(",")) {
            if (t.trim().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toConnectionString() {
        return "BackendHandshake@" + Integer.toHexString(hashCode()) + "[" + request.uri() + "]";
    }
}
