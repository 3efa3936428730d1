package io.wsgate.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.wsgate.api.ApiDefinition;
import io.wsgate.api.ConnectionPair;
import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.GatewayListener;
import io.wsgate.core.HandshakeOutcome;
import io.wsgate.core.PairEnd;
import io.wsgate.core.ReloadResult;
import io.wsgate.core.store.LimitStoreFailure;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The listener {@link WsGateMetrics} makes: each event goes to the meters of its API, made on the API's first
 * event and kept (an API removed by a reconfiguration keeps its meters). Thread-safe; called on the threads
 * of the events, never per frame.
 */
final class MeteredListener implements GatewayListener {

    private final MeterRegistry registry;
    private final Tags common;
    private final boolean histogram;
    private final ConcurrentHashMap<String, ApiMeters> byApi = new ConcurrentHashMap<>();

    MeteredListener(MeterRegistry registry, Tags common, boolean histogram) {
        this.registry = registry;
        this.common = common;
        this.histogram = histogram;
    }

    private ApiMeters meters(String api) {
        ApiMeters m = byApi.get(api);
        return m != null ? m : byApi.computeIfAbsent(api,
                name -> new ApiMeters(registry, common.and(WsGateMetrics.TAG_API, name), histogram));
    }

    /** @return the {@code api} tag of a handshake's outcome: its API's name, {@code none} when it reached none */
    private ApiMeters meters(HandshakeOutcome outcome) {
        String api = outcome.api();
        return meters(api.equals("-") ? WsGateMetrics.NO_API : api);
    }

    @Override
    public void handshakeStarted(String requestId, HandshakeRequest request, Optional<ApiDefinition> api) {
        meters(api.isPresent() ? api.get().name() : WsGateMetrics.NO_API).handshakeStarted();
    }

    @Override
    public void handshakeRejected(HandshakeOutcome outcome) {
        meters(outcome).handshakeEnded("rejected", outcome);
    }

    @Override
    public void handshakeFailed(HandshakeOutcome outcome) {
        meters(outcome).handshakeEnded("failed", outcome);
    }

    @Override
    public void handshakeAccepted(HandshakeOutcome outcome) {
        meters(outcome).handshakeEnded("accepted", outcome);
    }

    @Override
    public void pairOpened(ConnectionPair pair) {
        meters(pair.api().name()).pairOpened(pair);
    }

    @Override
    public void pairClosed(ConnectionPair pair, PairEnd end) {
        meters(pair.api().name()).pairClosed(pair, end);
    }

    @Override
    public void configReloaded(ReloadResult result) {
        Counter.builder(WsGateMetrics.CONFIG_RELOADS).description("reloads of the gateway's configuration file")
                .tags(common).tag(WsGateMetrics.TAG_OUTCOME, result.outcomeTag()).register(registry).increment();
    }

    @Override
    public void limitStoreFailed(LimitStoreFailure failure) {
        registry.counter(WsGateMetrics.LIMIT_STORE_FAILURES, common.and(WsGateMetrics.TAG_STORE, failure.store(),
                WsGateMetrics.TAG_OPERATION, failure.operation(),
                WsGateMetrics.TAG_MODE, failure.mode().name().toLowerCase(Locale.ROOT))).increment();
    }
}
