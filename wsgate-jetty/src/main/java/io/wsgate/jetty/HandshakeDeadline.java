package io.wsgate.jetty;

import io.wsgate.jetty.internal.dedicated.UpgradeRequestConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.AbstractMetaDataConnection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Closes an HTTP/1 connection whose first request header has not fully arrived within a deadline
 * of the connection opening — the defence against a handshake trickled byte by byte (a
 * "slowloris" client), which a connector's idle timeout alone never stops, since every byte resets
 * it. Connections that completed a request, were upgraded to WebSocket, or closed are left alone;
 * the timer of each connection is cancelled when it closes.
 *
 * <p>A connection the gateway has read nothing from when its deadline comes gets another deadline, and so
 * on: in a reconnect storm a gateway busy with other handshakes may not yet have read a request that arrived
 * long ago, and that wait is the gateway's, not the client's. A client that sends nothing at all is left to
 * the connector's idle timeout, which closes it (nothing resets that timeout). Behind TLS the bytes of the TLS
 * connection count: a client that trickles its ClientHello is closed at the deadline as well.
 *
 * <pre>{@code
 * HandshakeDeadline.install(connector, Duration.ofSeconds(10));
 * }</pre>
 *
 * <p>It watches every HTTP/1 connection of the connector, the application's own included, and every
 * connection of a {@link WsGateConnectionFactory} until its upgrade request has arrived: choose a
 * deadline no legitimate client needs to send one request header (10 seconds is generous).
 */
public final class HandshakeDeadline implements Connection.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(HandshakeDeadline.class);

    private final Scheduler scheduler;
    private final long deadlineMillis;
    private final ConcurrentHashMap<Connection, Scheduler.Task> pending = new ConcurrentHashMap<>();

    private HandshakeDeadline(Scheduler scheduler, Duration deadline) {
        this.scheduler = scheduler;
        this.deadlineMillis = deadline.toMillis();
    }

    /**
     * Watches the connections a connector opens from now on.
     *
     * @param connector the connector (its scheduler runs the timers)
     * @param deadline  how long a connection may take to deliver its first request header
     * @return the listener, added to the connector
     * @throws IllegalArgumentException when the deadline is not positive
     */
    public static HandshakeDeadline install(Connector connector, Duration deadline) {
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("handshake deadline must be positive, got " + deadline);
        }
        HandshakeDeadline listener = new HandshakeDeadline(connector.getScheduler(), deadline);
        connector.addEventListener(listener);
        return listener;
    }

    /** @return how many connections are being watched now */
    public int watched() {
        return pending.size();
    }

    @Override
    public void onOpened(Connection connection) {
        if (!(connection instanceof AbstractMetaDataConnection || connection instanceof UpgradeRequestConnection)
                || connection.getMessagesIn() > 0) {
            return;
        }
        watch(connection);
    }

    /** Schedules the connection's deadline; a connection that closed meanwhile is let go (onClosed may have run first). */
    private void watch(Connection connection) {
        pending.put(connection, scheduler.schedule(() -> expire(connection), deadlineMillis, TimeUnit.MILLISECONDS));
        if (!connection.getEndPoint().isOpen()) {
            onClosed(connection);
        }
    }

    @Override
    public void onClosed(Connection connection) {
        Scheduler.Task task = pending.remove(connection);
        if (task != null) {
            task.cancel();
        }
    }

    /**
     * @return the bytes read from the client so far: behind TLS, those of the TLS connection (a trickled
     *         ClientHello counts, though nothing has been decrypted yet); -1 when the connection does not say
     */
    private static long bytesRead(Connection connection) {
        return connection.getEndPoint() instanceof SslConnection.SslEndPoint tls
                ? tls.getSslConnection().getBytesIn() : connection.getBytesIn();
    }

    private void expire(Connection connection) {
        if (pending.remove(connection) == null) {
            return;
        }
        EndPoint endPoint = connection.getEndPoint();
        if (endPoint.isOpen() && endPoint.getConnection() == connection && connection.getMessagesIn() == 0) {
            if (bytesRead(connection) == 0) {
                // nothing read yet: the wait is the gateway's (busy with other handshakes, its request unread in
                // the socket) or a client that sends nothing, which the connector's idle timeout closes
                watch(connection);
                return;
            }
            if (LOG.isDebugEnabled()) {
                LOG.debug("closing {}: no complete request header within {} ms", endPoint.getRemoteSocketAddress(), deadlineMillis);
            }
            endPoint.close();
        }
    }
}
