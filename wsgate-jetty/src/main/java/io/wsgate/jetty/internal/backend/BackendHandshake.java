package io.wsgate.jetty.internal.backend;

import io.wsgate.api.BackendRequest;
import io.wsgate.api.Headers;
import io.wsgate.core.transport.BackendFailure;
import io.wsgate.core.transport.LogSafe;
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
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
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
     * @param head     the request head ({@link BackendRequestHead#of}), not shared with another connection
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
        Headers.Builder headers = Headers.builder();
        for (HttpField f : fields) {
            headers.add(f.getName(), f.getValue() == null ? "" : f.getValue());
        }
        BackendResponseCheck.Verdict verdict = BackendResponseCheck.check(status, headers.build(), key, request.subprotocols());
        if (verdict instanceof BackendResponseCheck.Failed failed) {
            fail(failed.failure(), null);
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
        outcome.upgraded(relay, ((BackendResponseCheck.Accepted) verdict).subprotocol());
    }

    private void fail(BackendFailure failure, Throwable cause) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("backend handshake to {} failed: {}", LogSafe.uri(request.uri()), failure, cause);
        }
        getEndPoint().close(cause);
        outcome.failed(failure, cause);
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

    @Override
    public String toConnectionString() {
        return "BackendHandshake@" + Integer.toHexString(hashCode()) + "[" + LogSafe.uri(request.uri()) + "]";
    }
}
