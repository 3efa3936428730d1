package io.wsgate.bench.driver;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * One driver connection at frame level: it stamps what it sends and hands every echoed message's
 * stamp to its {@link Listener}. Reads with explicit demand, one frame at a time.
 */
public final class BenchConnection implements FrameHandler {

    /** Told about every echoed message. Called on a Jetty thread: must not block. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param connection the connection it came back on
         * @param stamp      the stamp it carried, -1 when none
         * @param now        {@link System#nanoTime()} at arrival
         */
        void onMessage(BenchConnection connection, long stamp, long now);
    }

    /** Counts send failures and unexpected errors across all connections. */
    public static final LongAdder ERRORS = new LongAdder();

    private final LoadTarget target;
    private final int size;
    private final Listener listener;
    private final CompletableFuture<BenchConnection> opened = new CompletableFuture<>();
    private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
    private volatile CoreSession session;
    private long messageStamp = -1;
    private boolean inMessage;
    /** Free for the run's own bookkeeping (e.g. the connection's index). */
    public volatile int tag;

    private BenchConnection(LoadTarget target, int size, Listener listener) {
        this.target = target;
        this.size = size;
        this.listener = listener;
    }

    /**
     * Opens a connection.
     *
     * @param client   the client to connect with
     * @param target   where
     * @param size     the size of the messages {@link #send(long)} will send
     * @param listener told about every echoed message
     * @return completed once the connection is open (101 received), failed when it cannot be
     */
    public static CompletableFuture<BenchConnection> open(WebSocketCoreClient client, LoadTarget target, int size,
                                                          Listener listener) {
        return open(client, target, size, listener, Duration.ofSeconds(15));
    }

    /**
     * Opens a connection, waiting up to {@code timeout} for the 101.
     *
     * @param client   the client to connect with
     * @param target   where
     * @param size     the size of the messages {@link #send(long)} will send
     * @param listener told about every echoed message
     * @param timeout  how long the handshake may take, connect included
     * @return completed once the connection is open (101 received), failed when it cannot be
     */
    public static CompletableFuture<BenchConnection> open(WebSocketCoreClient client, LoadTarget target, int size,
                                                          Listener listener, Duration timeout) {
        BenchConnection connection = new BenchConnection(target, size, listener);
        CoreClientUpgradeRequest request = CoreClientUpgradeRequest.from(client, target.uri(), connection);
        target.bearerToken().ifPresent(token -> request.headers(h -> h.put("Authorization", "Bearer " + token)));
        Configuration.ConfigurationCustomizer configuration = new Configuration.ConfigurationCustomizer();
        configuration.setIdleTimeout(Duration.ofMinutes(30));
        configuration.setMaxFrameSize(16 * 1024 * 1024);
        configuration.setMaxTextMessageSize(16 * 1024 * 1024);
        configuration.setMaxBinaryMessageSize(16 * 1024 * 1024);
        configuration.setAutoFragment(false);
        request.setConfiguration(configuration);
        request.timeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        try {
            client.connect(request).whenComplete((s, failure) -> {
                if (failure != null) {
                    connection.opened.completeExceptionally(failure);
                    connection.closed.complete(CloseStatus.NO_CLOSE_STATUS);
                }
            });
        } catch (IOException e) {
            connection.opened.completeExceptionally(e);
            connection.closed.complete(CloseStatus.NO_CLOSE_STATUS);
        }
        return connection.opened;
    }

    /**
     * Sends one stamped message; does not wait for it to be written.
     *
     * @param stamp the stamp it carries
     */
    public void send(long stamp) {
        CoreSession s = session;
        if (s == null) {
            ERRORS.increment();
            return;
        }
        Frame frame = new Frame(target.text() ? OpCode.TEXT : OpCode.BINARY, true, Payload.create(size, stamp));
        s.sendFrame(frame, SEND_CALLBACK, false);
    }

    /** @return completed when the connection has closed (by either side, or by failure) */
    public CompletableFuture<CloseStatus> closed() {
        return closed;
    }

    /** @return whether the connection is still open for output */
    public boolean isOpen() {
        CoreSession s = session;
        return s != null && s.isOutputOpen() && !closed.isDone();
    }

    /**
     * Starts a normal close (1000).
     *
     * @return completed when the close handshake has finished
     */
    public CompletableFuture<CloseStatus> close() {
        CoreSession s = session;
        if (s == null || closed.isDone()) {
            return closed;
        }
        s.close(CloseStatus.NORMAL, "", Callback.NOOP);
        return closed;
    }

    /** Drops the connection without a close handshake. */
    public void abort() {
        CoreSession s = session;
        if (s != null) {
            s.abort();
        }
    }

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        this.session = coreSession;
        callback.succeeded();
        coreSession.demand();
        opened.complete(this);
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        byte opCode = frame.getOpCode();
        if (opCode == OpCode.TEXT || opCode == OpCode.BINARY || opCode == OpCode.CONTINUATION) {
            if (!inMessage) {
                messageStamp = Payload.stamp(frame.getPayload());
                inMessage = true;
            }
            boolean fin = frame.isFin();
            long stamp = messageStamp;
            callback.succeeded();
            if (fin) {
                inMessage = false;
                listener.onMessage(this, stamp, System.nanoTime());
            }
            session.demand();
        } else if (opCode == OpCode.CLOSE) {
            callback.succeeded();
        } else {
            callback.succeeded();
            session.demand();
        }
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        ERRORS.increment();
        opened.completeExceptionally(cause);
        callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        opened.completeExceptionally(new IOException("closed before open: " + closeStatus));
        closed.complete(closeStatus);
        callback.succeeded();
    }

    private static final Callback SEND_CALLBACK = new Callback() {
        @Override
        public void failed(Throwable x) {
            ERRORS.increment();
        }
    };
}
