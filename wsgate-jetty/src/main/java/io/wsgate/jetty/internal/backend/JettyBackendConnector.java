package io.wsgate.jetty.internal.backend;

import io.wsgate.api.ApiLimits;
import io.wsgate.api.BackendRequest;
import io.wsgate.core.transport.BackendConnector;
import io.wsgate.core.transport.BackendFailure;
import io.wsgate.core.transport.BackendOutcome;
import io.wsgate.core.transport.HandshakeRules;
import io.wsgate.core.transport.LogSafe;
import io.wsgate.core.transport.Peer;
import io.wsgate.jetty.internal.relay.RelayConnection;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.ClientConnectionFactory;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.Transport;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Opens the gateway's WebSocket to a backend: the policies' URI and headers, the client's
 * subprotocols, no extension, the API's handshake timeout. The connection is made by the
 * {@link BackendClient}'s {@link ClientConnector} (its resolver, TLS settings, connect timeout, bind
 * address and selectors), and the handshake is a {@link BackendHandshake}. It implements the
 * gateway's {@link BackendConnector} port: it reports a classified failure and decides nothing else.
 */
public final class JettyBackendConnector implements BackendConnector {

    private static final Logger LOG = LoggerFactory.getLogger(JettyBackendConnector.class);

    private final BackendClient client;
    /** Runs the backend connections' reads past their read budget (the server's pool: one pool for both sides). */
    private volatile Executor relayExecutor;
    /** Runs the backend connections' close deadlines. */
    private volatile io.wsgate.core.Scheduler scheduler;

    /**
     * @param client what backends are reached with, started by whoever manages it
     */
    public JettyBackendConnector(BackendClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /**
     * Sets what the backend connections the {@link BackendConnector} port opens run on; called once by the
     * Handler or Servlet as it starts, before any handshake.
     *
     * @param relayExecutor where reads go on past a thread's read budget
     * @param scheduler     runs close-handshake deadlines
     * @return this connector
     */
    public JettyBackendConnector relayOn(Executor relayExecutor, io.wsgate.core.Scheduler scheduler) {
        this.relayExecutor = Objects.requireNonNull(relayExecutor, "relayExecutor");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        return this;
    }

    /**
     * The port: opens a backend WebSocket whose connection, once open, is a relay side on the backend
     * client's buffers and the executor and scheduler of {@link #relayOn}. A request HTTP cannot carry is
     * {@link BackendFailure.InvalidRequest}; every other failure is classified.
     */
    @Override
    public CompletionStage<BackendOutcome> connect(BackendRequest request, ApiLimits limits) {
        Executor executor = relayExecutor;
        io.wsgate.core.Scheduler s = scheduler;
        if (executor == null || s == null) {
            throw new IllegalStateException("the backend connector was not given its relay executor and scheduler");
        }
        ByteBufferPool buffers = client.connector().getByteBufferPool();
        Function<EndPoint, RelayConnection> side = endPoint -> new RelayConnection(endPoint, Peer.BACKEND, limits,
                buffers, executor, s, null);
        return connect(request, limits, side).handle((upgraded, failure) -> {
            if (failure == null) {
                return BackendOutcome.connected(upgraded.connection(), upgraded.subprotocol());
            }
            Throwable f = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (f instanceof IllegalArgumentException bad) {
                return BackendOutcome.failed(new BackendFailure.InvalidRequest(bad.getMessage()));
            }
            if (f instanceof BackendFailureException bfe) {
                return BackendOutcome.failed(bfe.failure());
            }
            return BackendOutcome.failed(new BackendFailure.Unreachable(f));
        });
    }

    /** @return what backends are reached with */
    public BackendClient client() {
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
     * Starts the backend handshake: resolves the backend's host, connects to its addresses in turn
     * until one accepts (TLS for wss, with the client's TLS settings), and runs a {@link BackendHandshake}
     * on the connection, all within the API's handshake timeout.
     *
     * @param request the backend request the policies shaped
     * @param limits  the API's limits
     * @param side    makes the backend side's connection on the upgraded end point
     * @return completed with the backend's connection after its 101, or with a {@link BackendFailureException};
     *         or failed at once with an {@link IllegalArgumentException} when the request cannot be sent at all
     *         (not a ws or wss URI, a header or subprotocol HTTP cannot carry): the policies' fault, not the backend's
     */
    public CompletableFuture<Upgraded> connect(BackendRequest request, ApiLimits limits,
                                               Function<EndPoint, RelayConnection> side) {
        String key = HandshakeRules.newKey();
        ByteBuffer head;
        try {
            head = BackendRequestHead.of(request, key);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        Attempt attempt = new Attempt(request, key, head, side);
        try {
            long millis = limits.handshakeTimeout().toMillis();
            Scheduler.Task timer = client.connector().getScheduler().schedule(() -> attempt.fail(new BackendFailure.Timeout(),
                    new TimeoutException("no backend handshake response within " + millis + " ms")), millis, TimeUnit.MILLISECONDS);
            attempt.timer = timer;
            // an outcome decided before the line above still cancels it
            attempt.result.whenComplete((upgraded, failure) -> timer.cancel());
            URI uri = request.uri();
            int port = uri.getPort() > 0 ? uri.getPort() : BackendRequestHead.defaultPort(uri);
            client.resolver().resolve(uri.getHost(), port, new HashMap<>(), new Promise<>() {
                @Override
                public void succeeded(List<InetSocketAddress> addresses) {
                    attempt.connect(addresses, 0);
                }

                @Override
                public void failed(Throwable x) {
                    attempt.fail(classify(request, x), x);
                }
            });
        } catch (Throwable x) {
            attempt.fail(classify(request, x), x);
        }
        return attempt.result;
    }

    /** One backend handshake, from resolving its host to its 101; its future decides the outcome once. */
    private final class Attempt implements BackendHandshake.Outcome {
        final CompletableFuture<Upgraded> result = new CompletableFuture<>();
        private final BackendRequest request;
        private final String key;
        private final ByteBuffer head;
        private final Function<EndPoint, RelayConnection> side;
        /** The connection's end point once made, so that a timeout can close it. */
        private volatile EndPoint endPoint;
        /**
         * The handshake timer, cancelled before the outcome is published: the client may hear of the outcome
         * (and a test count the timers) in a dependent of {@link #result} that runs before a later one.
         */
        private volatile Scheduler.Task timer;

        Attempt(BackendRequest request, String key, ByteBuffer head, Function<EndPoint, RelayConnection> side) {
            this.request = request;
            this.key = key;
            this.head = head;
            this.side = side;
        }

        /** Connects to {@code addresses[index]}; a failure tries the next one, as Jetty's HTTP client does. */
        void connect(List<InetSocketAddress> addresses, int index) {
            if (result.isDone()) {
                return;
            }
            ClientConnector connector = client.connector();
            ClientConnectionFactory handshake = (endPoint, context) -> {
                this.endPoint = endPoint;
                if (result.isDone()) {
                    // the timeout fired while connecting
                    endPoint.close();
                }
                return new BackendHandshake(endPoint, connector.getExecutor(), request, key, head.duplicate(), ep -> {
                    RelayConnection relay = side.apply(ep);
                    relay.addEventListeners(connector.getEventListeners());
                    return relay;
                }, this);
            };
            boolean secure = "wss".equalsIgnoreCase(request.uri().getScheme());
            Map<String, Object> context = new HashMap<>();
            context.put(Transport.CONTEXT_KEY, Transport.TCP_IP);
            context.put(ClientConnector.HTTP_CLIENT_CONTEXT_KEY, client);
            context.put(ClientConnectionFactory.CONTEXT_KEY,
                    secure ? connector.newSslClientConnectionFactory(null, handshake) : handshake);
            context.put(ClientConnector.CONNECTION_PROMISE_CONTEXT_KEY, new Promise<org.eclipse.jetty.io.Connection>() {
                @Override
                public void failed(Throwable x) {
                    if (index + 1 < addresses.size() && endPoint == null) {
                        connect(addresses, index + 1);
                    } else {
                        fail(classify(request, x), x);
                    }
                }
            });
            connector.connect(addresses.get(index), context);
        }

        @Override
        public void upgraded(RelayConnection connection, String subprotocol) {
            cancelTimer();
            if (!result.complete(new Upgraded(connection, subprotocol))) {
                // upgraded, but too late (the handshake timer fired): nobody will use it
                connection.abort();
                if (!connection.getEndPoint().isOpen()) {
                    // closed by the timer before the relay connection was in place: it frees its buffers here
                    connection.onClose(null);
                }
            }
        }

        @Override
        public void failed(BackendFailure failure, Throwable cause) {
            fail(failure, cause);
        }

        private void cancelTimer() {
            Scheduler.Task t = timer;
            if (t != null) {
                t.cancel();
            }
        }

        void fail(BackendFailure failure, Throwable cause) {
            cancelTimer(); // a no-op when the timer itself is failing it
            if (result.completeExceptionally(new BackendFailureException(failure, cause))) {
                EndPoint e = endPoint;
                if (e != null) {
                    e.close();
                }
            }
        }
    }

    static BackendFailure classify(BackendRequest request, Throwable failure) {
        Throwable t = unwrap(failure);
        if (LOG.isDebugEnabled()) {
            LOG.debug("backend handshake to {} failed", LogSafe.uri(request.uri()), t);
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

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
