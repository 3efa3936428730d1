package io.wsgate.core;

import io.wsgate.api.CloseStatus;
import io.wsgate.core.error.GatewayError;
import io.wsgate.core.transport.Admission;
import io.wsgate.core.transport.BackendConnector;
import io.wsgate.core.transport.BackendFailure;
import io.wsgate.core.transport.BackendOutcome;
import io.wsgate.core.transport.ClientHandshake;
import io.wsgate.core.transport.ErrorResponse;
import io.wsgate.core.transport.PairRelay;
import io.wsgate.core.transport.TransportSide;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The order of a handshake's steps, and every call to the transport's two ports: validate, admit, connect
 * with failover, upgrade the client, start both sides; or answer the client with the error. The loop and
 * every decision live here and in {@link Exchange}, so that a transport adapter only implements the ports.
 */
final class HandshakeFlow {

    private static final Logger LOG = LoggerFactory.getLogger(HandshakeFlow.class);

    private HandshakeFlow() {
    }

    /**
     * Takes the handshake through every step, answering the client through its port exactly once. Returns
     * at once; the steps run on the threads that complete them (a policy's, the backend connector's, the
     * client transport's).
     *
     * @param client   answers the client: an error response, or the upgrade
     * @param backends opens backend WebSockets
     */
    static void run(Exchange exchange, ClientHandshake client, BackendConnector backends) {
        Optional<ErrorResponse> invalid;
        try {
            invalid = exchange.validate();
        } catch (RuntimeException e) {
            LOG.error("request {}: the gateway failed to check the handshake", exchange.requestId(), e);
            client.reject(exchange.internalError(GatewayError.INTERNAL_ERROR));
            return;
        }
        if (invalid.isPresent()) {
            client.reject(invalid.get());
            return;
        }
        exchange.admit().whenComplete((admission, failure) -> {
            if (failure != null) {
                LOG.error("request {}: the policy chain failed", exchange.requestId(), failure);
                client.reject(exchange.internalError(GatewayError.POLICY_ERROR));
            } else if (admission instanceof Admission.Refused refused) {
                client.reject(refused.response());
            } else {
                connect(exchange, (Admission.Admitted) admission, client, backends);
            }
        });
    }

    /** Connects the admission's backend; on a failure that allows it, the next backend, and so on. */
    private static void connect(Exchange exchange, Admission.Admitted admitted, ClientHandshake client,
                                BackendConnector backends) {
        CompletionStage<BackendOutcome> attempt;
        try {
            attempt = backends.connect(admitted.backend(), admitted.limits());
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        attempt.whenComplete((outcome, thrown) -> {
            BackendOutcome o = thrown != null ? BackendOutcome.failed(new BackendFailure.Unreachable(unwrap(thrown))) : outcome;
            if (o instanceof BackendOutcome.Connected connected) {
                upgradeClient(exchange, admitted, connected, client);
                return;
            }
            BackendFailure why = ((BackendOutcome.Failed) o).failure();
            if (why instanceof BackendFailure.InvalidRequest bad) {
                // the policies made a request HTTP cannot carry: the gateway's fault, the same for every backend
                client.reject(exchange.backendRequestInvalid(bad.reason()));
                return;
            }
            Optional<Admission.Admitted> next = exchange.nextBackend(admitted, why);
            if (next.isPresent()) {
                connect(exchange, next.get(), client, backends);
            } else {
                client.reject(exchange.backendFailed(why));
            }
        });
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    /**
     * The backend said 101: the client is upgraded with its subprotocol (or the marker of {@link ClientSubprotocol}),
     * and the pair established.
     */
    private static void upgradeClient(Exchange exchange, Admission.Admitted admitted, BackendOutcome.Connected connected,
                                      ClientHandshake client) {
        TransportSide backend = connected.backend();
        CompletionStage<TransportSide> upgrade;
        try {
            // the backend's choice; when it chose none, a marker the client offered and a policy named (browsers)
            String answer = ClientSubprotocol.answer(connected.subprotocol(), exchange.request(), admitted.attributes());
            upgrade = client.upgrade(answer, admitted.limits());
        } catch (RuntimeException e) {
            upgrade = CompletableFuture.failedFuture(e);
        }
        upgrade.whenComplete((clientSide, thrown) -> {
            if (thrown != null) {
                if (LOG.isDebugEnabled()) {
                    LOG.debug("request {}: client upgrade failed after the backend connected", exchange.requestId(), thrown);
                }
                // in no pair: the backend's side reads on only for the answer to this close
                backend.close(CloseStatus.GOING_AWAY, "Client went away");
                exchange.abandon("client upgrade failed");
                return;
            }
            PairRelay relay;
            try {
                relay = exchange.establish(connected.subprotocol(), admitted.backend().uri(), clientSide, backend);
            } catch (RuntimeException e) {
                LOG.debug("request {}: pair not established", exchange.requestId(), e);
                clientSide.close(CloseStatus.INTERNAL_ERROR, "");
                backend.close(CloseStatus.GOING_AWAY, "");
                return;
            }
            backend.start(relay);
            clientSide.start(relay);
        });
    }

}
