package io.wsgate.core;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.BackendRequest;
import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.api.UrlScheme;
import io.wsgate.core.error.GatewayError;
import io.wsgate.core.internal.handshake.ApiCatalog;
import io.wsgate.core.internal.handshake.BackendRequests;
import io.wsgate.core.internal.handshake.ErrorResponses;
import io.wsgate.core.internal.handshake.UpgradeCheck;
import io.wsgate.core.internal.policy.ChainResult;
import io.wsgate.core.internal.policy.ChainRunner;
import io.wsgate.core.policy.ProductSelection;
import io.wsgate.core.transport.ErrorResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The steps of {@link Exchange#validate()} and {@link Exchange#admit()}, in the same order, run for a
 * {@link Diagnosis}: no pending handshake is counted, no access-log line written, no listener told, no backend
 * connected and no connection permit taken.
 */
final class Diagnose {

    private static final Logger LOG = LoggerFactory.getLogger(Diagnose.class);

    private Diagnose() {
    }

    static CompletionStage<Diagnosis> run(Gateway.State state, boolean draining, HandshakeRequest request,
                                          String pathInMount, String requestId) {
        Optional<ApiCatalog.Route> found = state.catalog().route(pathInMount);
        if (draining) {
            return done(refused(requestId, found, Diagnosis.Stage.DRAIN, "", GatewayError.GATEWAY_DRAINING.reject(), state));
        }
        if (found.isEmpty()) {
            return done(refused(requestId, found, Diagnosis.Stage.ROUTE, "", GatewayError.API_NOT_FOUND.reject(), state));
        }
        ApiDefinition api = found.get().api();
        Optional<GatewayError> bad = UpgradeCheck.check(request);
        if (bad.isPresent()) {
            return done(refused(requestId, found, Diagnosis.Stage.UPGRADE, "", bad.get().reject(), state));
        }
        if (!api.schemes().contains(request.secure() ? UrlScheme.WSS : UrlScheme.WS)) {
            return done(refused(requestId, found, Diagnosis.Stage.SCHEME, "", GatewayError.SCHEME_NOT_ALLOWED.reject(), state));
        }
        BackendRequest initial;
        try {
            initial = BackendRequests.initial(api, request, found.get().restPath());
        } catch (IllegalArgumentException e) {
            return done(refused(requestId, found, Diagnosis.Stage.UPGRADE, "", GatewayError.BAD_HANDSHAKE.reject(), state));
        }
        ProductSelection selection = state.chains(api).select(request);
        if (selection instanceof ProductSelection.Refused refused) {
            return done(refused(requestId, found, Diagnosis.Stage.SUBSCRIPTION, "", refused.rejection(), state));
        }
        ProductSelection.Selected selected = (ProductSelection.Selected) selection;
        Diagnosis.Notes notes = new Diagnosis.Notes();
        Map<String, Object> attributes = new HashMap<>(selected.attributes());
        attributes.put(Diagnosis.NOTES_ATTRIBUTE, notes);
        return ChainRunner.run(selected.chain().policies(), requestId, request, api, initial, attributes)
                .toCompletableFuture()
                .orTimeout(state.config().policyTimeout().toNanos(), TimeUnit.NANOSECONDS)
                .handle((result, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                        String policy = cause instanceof TimeoutException ? "(timeout)" : "(chain)";
                        LOG.debug("request {}: diagnosing API '{}': the chain failed", requestId, api.name(), cause);
                        return refused(requestId, found, Diagnosis.Stage.POLICY, policy, GatewayError.POLICY_ERROR.reject(), state,
                                notes);
                    }
                    if (result instanceof ChainResult.Admitted admitted) {
                        return new Diagnosis(requestId, api.name(), Diagnosis.Stage.ADMITTED, "", 101, HandshakeOutcome.NO_ERROR,
                                "", ClientSubprotocol.answer("", request, admitted.attributes()), notes.list());
                    }
                    if (result instanceof ChainResult.Rejected rejected) {
                        return refused(requestId, found, Diagnosis.Stage.POLICY, rejected.policy(), rejected.rejection(), state,
                                notes);
                    }
                    ChainResult.Failed failed = (ChainResult.Failed) result;
                    // the cause stays on the server, at debug: a diagnosis shows what the client would see
                    LOG.debug("request {}: diagnosing API '{}': policy '{}' failed", requestId, api.name(), failed.policy(),
                            failed.cause());
                    return refused(requestId, found, Diagnosis.Stage.POLICY, failed.policy(), GatewayError.POLICY_ERROR.reject(),
                            state, notes);
                });
    }

    /** The refusal as the client would get it: rendered with the API's overrides, which may change the status. */
    private static Diagnosis refused(String requestId, Optional<ApiCatalog.Route> route, Diagnosis.Stage stage, String policy,
                                     HandshakeDecision.Reject reject, Gateway.State state) {
        return refused(requestId, route, stage, policy, reject, state, new Diagnosis.Notes());
    }

    private static Diagnosis refused(String requestId, Optional<ApiCatalog.Route> route, Diagnosis.Stage stage, String policy,
                                     HandshakeDecision.Reject reject, Gateway.State state, Diagnosis.Notes notes) {
        ErrorResponses errors = route.map(r -> state.errors(r.api())).orElse(state.errors());
        ErrorResponse response = errors.render(reject, requestId);
        return new Diagnosis(requestId, route.map(r -> r.api().name()).orElse(""), stage, policy, response.status(),
                response.code(), reject.message(), "", notes.list());
    }

    private static CompletionStage<Diagnosis> done(Diagnosis d) {
        return CompletableFuture.completedFuture(d);
    }
}
