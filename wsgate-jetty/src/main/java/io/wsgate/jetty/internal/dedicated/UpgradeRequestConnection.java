package io.wsgate.jetty.internal.dedicated;

import io.wsgate.api.ApiLimits;
import io.wsgate.core.transport.ClientHandshake;
import io.wsgate.core.transport.ErrorResponse;
import io.wsgate.core.transport.Peer;
import io.wsgate.core.transport.TransportSide;
import io.wsgate.jetty.internal.relay.RelayConnection;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A connection of the dedicated connector until its one request is answered: it reads the request with Jetty's
 * {@link HttpParser} (a body, if there is one, is dropped), hands it to the gateway, and is then the gateway's {@link ClientHandshake} for it. On
 * {@link #upgrade} it writes the 101 itself and puts a {@link RelayConnection} on the end point (the bytes the
 * client sent behind its request go to it); on {@link #reject} (and for a request the parser refused) it writes the
 * error with {@code Connection: close}, shuts its output and reads what the client still sends until it leaves,
 * so that the client reads the answer rather than a reset: at most {@link #LINGER_BYTES} and for at most
 * {@link #LINGER_MILLIS}, then it closes.
 *
 * <p>Threads: its reads are non-blocking (parsing, and handing the request to the gateway, whose handshake does not
 * block), so the selector runs them itself rather than handing each to the pool. One thread reads at a time (the end
 * point's fill interest); the gateway calls {@link #reject} or
 * {@link #upgrade} once, on the thread that decided, when this connection reads nothing. The read buffer is
 * released by whoever ends last, the reader or the close, under this object's monitor.
 */
public final class UpgradeRequestConnection extends AbstractConnection.NonBlocking implements Connection.UpgradeFrom, ClientHandshake {

    private static final Logger LOG = LoggerFactory.getLogger(UpgradeRequestConnection.class);
    /** How much a client may still send after its error response before the connection is closed anyway. */
    public static final int LINGER_BYTES = 256 * 1024;
    /** How long a client may take to leave after its error response before the connection is closed anyway. */
    public static final long LINGER_MILLIS = 5_000;

    private final Connector connector;
    private final UpgradeRequests requests;
    private final RequestHead head = new RequestHead();
    private final HttpParser parser;
    /** The request is complete (the handshake deadline's "a message came in"). */
    private volatile boolean received;
    /** Bytes read of the request (the handshake deadline's "the client began"); written by the one reader. */
    private volatile long bytesIn;

    // ---- guarded by this
    /** Bytes read and not yet parsed; after the request, the client's first frames. */
    private RetainableByteBuffer in;
    private int readers;
    private boolean closed;
    /** The answer was an error, written: what the client still sends is read and dropped. */
    private boolean discarding;
    /** Bytes dropped since (the reader's own). */
    private int discarded;
    /** Closes the connection when the client has not left in time. */
    private Scheduler.Task linger;

    /**
     * @param connector the connector (its buffers, executor and connection listeners)
     * @param endPoint  the accepted (or decrypted) end point
     * @param requests  what the connector's connections share
     */
    public UpgradeRequestConnection(Connector connector, EndPoint endPoint, UpgradeRequests requests) {
        super(endPoint, connector.getExecutor());
        this.connector = connector;
        this.requests = requests;
        this.parser = requests.newParser(head);
    }

    @Override
    public void onOpen() {
        super.onOpen();
        fillInterested();
    }

    @Override
    public void onClose(Throwable cause) {
        super.onClose(cause);
        Scheduler.Task task;
        synchronized (this) {
            closed = true;
            if (readers == 0) {
                release();
            }
            task = linger;
        }
        if (task != null) {
            task.cancel();
        }
    }

    /** @return 1 once the request is complete, else 0 */
    @Override
    public long getMessagesIn() {
        return received ? 1 : 0;
    }

    /** @return the bytes read of the request so far (not those dropped after an error) */
    @Override
    public long getBytesIn() {
        return bytesIn;
    }

    @Override
    public void onFillable() {
        boolean discard;
        synchronized (this) {
            if (closed) {
                return;
            }
            readers++;
            discard = discarding;
        }
        try {
            if (discard) {
                discard();
            } else {
                read();
            }
        } catch (Throwable x) {
            LOG.debug("reading an upgrade request failed", x);
            getEndPoint().close(x);
        } finally {
            synchronized (this) {
                readers--;
                if (closed && readers == 0) {
                    release();
                }
            }
        }
    }

    /** Fills and parses until the request is complete or refused, the client leaves, or it has sent nothing more. */
    private void read() throws IOException {
        while (true) {
            RetainableByteBuffer b = buffer();
            ByteBuffer bytes = b.getByteBuffer();
            if (!bytes.hasRemaining()) {
                int filled = getEndPoint().fill(bytes);
                if (filled < 0) {
                    parser.atEOF();
                    parser.parseNext(bytes);
                    getEndPoint().close();
                    return;
                }
                if (filled == 0) {
                    releaseIfEmpty();
                    fillInterested();
                    return;
                }
                bytesIn += filled;
            }
            parser.parseNext(bytes);
            int refused = head.refusedStatus();
            if (refused != 0) {
                LOG.debug("request refused by the parser: {}", refused);
                writeError(ResponseHeads.plainError(refused));
                return;
            }
            if (head.complete()) {
                received = true;
                handToGateway();
                return;
            }
        }
    }

    private void handToGateway() {
        RequestHead.Parsed parsed;
        try {
            parsed = head.toRequest(getEndPoint().getRemoteSocketAddress(), getEndPoint().isSecure(), requests.uriCompliance());
        } catch (RuntimeException e) {
            // a target or a header the gateway's values refuse (the parser took it): nothing can be done with it
            LOG.debug("could not read the handshake request", e);
            writeError(ResponseHeads.plainError(HttpStatus.BAD_REQUEST_400));
            return;
        }
        requests.handshake(parsed.request(), parsed.pathInMount(), this);
    }

    /** Reads and drops what the client sends after its error, until it leaves (or the idle timeout closes it). */
    private void discard() throws IOException {
        RetainableByteBuffer b = connector.getByteBufferPool().acquire(getInputBufferSize(), false);
        try {
            ByteBuffer bytes = b.getByteBuffer();
            while (true) {
                BufferUtil.clear(bytes);
                int filled = getEndPoint().fill(bytes);
                if (filled < 0 || (discarded += filled) > LINGER_BYTES) {
                    getEndPoint().close();
                    return;
                }
                if (filled == 0) {
                    fillInterested();
                    return;
                }
            }
        } finally {
            b.release();
        }
    }

    // ------------------------------------------------------------------ the client port

    @Override
    public void reject(ErrorResponse error) {
        writeError(ResponseHeads.error(error.status(), error.headers(), error.bodyBytes(), !HttpMethod.HEAD.is(head.method())));
    }

    @Override
    public CompletionStage<TransportSide> upgrade(String subprotocol, ApiLimits limits) {
        CompletableFuture<TransportSide> opened = new CompletableFuture<>();
        ByteBuffer switching = ResponseHeads.switching(head.key(), subprotocol);
        getEndPoint().write(Callback.from(() -> switchTo(limits, opened), x -> {
            LOG.debug("writing the 101 failed", x);
            opened.completeExceptionally(x);
            getEndPoint().close(x);
        }), switching);
        return opened;
    }

    /** The 101 is written: the relay's connection takes the end point over (and is opened on it). */
    private void switchTo(ApiLimits limits, CompletableFuture<TransportSide> opened) {
        try {
            RelayConnection relay = new RelayConnection(getEndPoint(), Peer.CLIENT, limits, connector.getByteBufferPool(),
                    connector.getExecutor(), requests.scheduler(), opened::complete);
            relay.addEventListeners(connector.getEventListeners());
            getEndPoint().upgrade(relay);
        } catch (Throwable x) {
            LOG.debug("the upgrade to the relay failed", x);
            getEndPoint().close(x);
            opened.completeExceptionally(x);
            return;
        }
        if (!opened.isDone()) {
            opened.completeExceptionally(new IllegalStateException("the client's connection closed as it was upgraded"));
        }
    }

    /** @return the bytes the client sent behind its request (its first frames), for the relay */
    @Override
    public ByteBuffer onUpgradeFrom() {
        synchronized (this) {
            ByteBuffer rest = null;
            if (in != null && in.hasRemaining()) {
                ByteBuffer b = in.getByteBuffer();
                rest = ByteBuffer.allocate(b.remaining()).put(b).flip();
            }
            release();
            return rest;
        }
    }

    /** Writes an error response, then shuts the output and reads until the client leaves. */
    private void writeError(ByteBuffer response) {
        getEndPoint().write(Callback.from(() -> {
            // the linger starts before the client can see the end of the response
            Scheduler.Task task = connector.getScheduler().schedule(getEndPoint()::close, LINGER_MILLIS, TimeUnit.MILLISECONDS);
            getEndPoint().shutdownOutput();
            boolean wasClosed;
            synchronized (this) {
                discarding = true;
                release();
                linger = task;
                wasClosed = closed;
            }
            if (wasClosed) {
                task.cancel();
                return;
            }
            fillInterested();
        }, x -> {
            LOG.debug("writing an error response failed", x);
            getEndPoint().close(x);
        }), response);
    }

    // ------------------------------------------------------------------ the read buffer

    private RetainableByteBuffer buffer() {
        synchronized (this) {
            if (in == null) {
                in = connector.getByteBufferPool().acquire(getInputBufferSize(), false);
            }
            return in;
        }
    }

    private void releaseIfEmpty() {
        synchronized (this) {
            if (in != null && !in.hasRemaining()) {
                release();
            }
        }
    }

    /** Guarded by this. */
    private void release() {
        if (in != null) {
            in.release();
            in = null;
        }
    }
}
