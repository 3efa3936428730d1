package io.wsgate.core.internal.observe;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.ConnectionPair;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.GatewayListener;
import io.wsgate.core.HandshakeOutcome;
import io.wsgate.core.PairEnd;
import io.wsgate.core.ReloadResult;
import io.wsgate.core.store.LimitStoreFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The user's listeners as the gateway calls them: each in turn, and a listener that throws is logged
 * (at warn the first time, at debug after) and otherwise ignored, so that it never changes a handshake's
 * outcome, harms a pair or keeps the next listener from hearing the event.
 */
public final class GuardedListener implements GatewayListener {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedListener.class);

    private final List<GatewayListener> listeners;
    private final AtomicBoolean warned = new AtomicBoolean();

    private GuardedListener(List<GatewayListener> listeners) {
        this.listeners = listeners;
    }

    /**
     * @param listeners the listeners, called in this order
     * @return one listener that calls them all, guarded; {@link GatewayListener#NONE} for none
     */
    public static GatewayListener of(List<GatewayListener> listeners) {
        List<GatewayListener> copy = List.copyOf(listeners);
        return copy.isEmpty() ? GatewayListener.NONE : new GuardedListener(copy);
    }

    private void failed(GatewayListener listener, String event, RuntimeException e) {
        if (warned.compareAndSet(false, true)) {
            LOG.warn("gateway listener {} threw on {}; the event is otherwise unaffected (further failures at debug)",
                    listener.getClass().getName(), event, e);
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("gateway listener {} threw on {}", listener.getClass().getName(), event, e);
        }
    }

    /** Calls every listener with the event; one that throws is logged and skipped. */
    private void each(String event, Consumer<GatewayListener> call) {
        for (GatewayListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                failed(l, event, e);
            }
        }
    }

    @Override
    public void handshakeStarted(String requestId, HandshakeRequest request, Optional<ApiDefinition> api) {
        each("handshakeStarted", l -> l.handshakeStarted(requestId, request, api));
    }

    @Override
    public void handshakeRejected(HandshakeOutcome outcome) {
        each("handshakeRejected", l -> l.handshakeRejected(outcome));
    }

    @Override
    public void handshakeFailed(HandshakeOutcome outcome) {
        each("handshakeFailed", l -> l.handshakeFailed(outcome));
    }

    @Override
    public void handshakeAccepted(HandshakeOutcome outcome) {
        each("handshakeAccepted", l -> l.handshakeAccepted(outcome));
    }

    @Override
    public void pairOpened(ConnectionPair pair) {
        each("pairOpened", l -> l.pairOpened(pair));
    }

    @Override
    public void pairClosed(ConnectionPair pair, PairEnd end) {
        each("pairClosed", l -> l.pairClosed(pair, end));
    }

    @Override
    public void configReloaded(ReloadResult result) {
        each("configReloaded", l -> l.configReloaded(result));
    }

    @Override
    public void limitStoreFailed(LimitStoreFailure failure) {
        each("limitStoreFailed", l -> l.limitStoreFailed(failure));
    }
}
