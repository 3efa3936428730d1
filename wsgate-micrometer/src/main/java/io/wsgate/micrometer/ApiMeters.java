package io.wsgate.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.wsgate.api.CloseCause;
import io.wsgate.api.CloseInitiator;
import io.wsgate.api.ConnectionPair;
import io.wsgate.api.Direction;
import io.wsgate.core.HandshakeOutcome;
import io.wsgate.core.PairEnd;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;

/**
 * The meters of one API, made when the API is first seen: the gauges and the relayed totals read the API's
 * live pairs and pending count at scrape time; the handshake and close counters are made on the first event
 * of each tag combination and kept, so that an event costs a map lookup, not a registry lookup. Thread-safe.
 */
final class ApiMeters {

    private final MeterRegistry registry;
    private final Tags tags;
    private final Set<ConnectionPair> live = ConcurrentHashMap.newKeySet();
    private final AtomicInteger pending = new AtomicInteger();
    private final RelayedTotal[] totals;
    private final Timer handshakeDuration;
    private final Timer pairDuration;
    private final ConcurrentHashMap<HandshakeKey, Counter> handshakes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<CloseKey, Counter> closes = new ConcurrentHashMap<>();

    /** The tags of one {@code wsgate.handshakes} counter. */
    private record HandshakeKey(String outcome, int status, String error) {
    }

    /** The tags of one {@code wsgate.closes} counter. */
    private record CloseKey(int code, CloseInitiator by, CloseCause cause) {
    }

    /**
     * Registers the API's gauges, totals and timers.
     *
     * @param tags      the common tags and {@code api}
     * @param histogram whether the timers publish a percentiles histogram
     */
    ApiMeters(MeterRegistry registry, Tags tags, boolean histogram) {
        this.registry = registry;
        this.tags = tags;
        Gauge.builder(WsGateMetrics.PAIRS_ACTIVE, live, Set::size).tags(tags).strongReference(true)
                .description("Pairs established now").register(registry);
        Gauge.builder(WsGateMetrics.HANDSHAKES_PENDING, pending, AtomicInteger::get).tags(tags).strongReference(true)
                .description("Handshakes between request and pair or refusal now").register(registry);
        totals = new RelayedTotal[] {
            total(WsGateMetrics.MESSAGES, "messages", "Whole messages relayed", Direction.CLIENT_TO_BACKEND,
                    p -> p.messages(Direction.CLIENT_TO_BACKEND)),
            total(WsGateMetrics.MESSAGES, "messages", "Whole messages relayed", Direction.BACKEND_TO_CLIENT,
                    p -> p.messages(Direction.BACKEND_TO_CLIENT)),
            total(WsGateMetrics.BYTES, "bytes", "Payload bytes relayed", Direction.CLIENT_TO_BACKEND,
                    p -> p.bytes(Direction.CLIENT_TO_BACKEND)),
            total(WsGateMetrics.BYTES, "bytes", "Payload bytes relayed", Direction.BACKEND_TO_CLIENT,
                    p -> p.bytes(Direction.BACKEND_TO_CLIENT)),
        };
        handshakeDuration = Timer.builder(WsGateMetrics.HANDSHAKE_DURATION).tags(tags).publishPercentileHistogram(histogram)
                .description("From a handshake's request to its 101 or error response").register(registry);
        pairDuration = Timer.builder(WsGateMetrics.PAIR_DURATION).tags(tags).publishPercentileHistogram(histogram)
                .description("How long pairs lived, from established to both sides closed").register(registry);
    }

    private RelayedTotal total(String name, String unit, String description, Direction direction,
                               ToLongFunction<ConnectionPair> count) {
        RelayedTotal total = new RelayedTotal(live, count);
        // Held by this object (and so by the listener): a FunctionCounter only keeps a weak reference.
        FunctionCounter.builder(name, total, RelayedTotal::value).tags(tags)
                .tag(WsGateMetrics.TAG_DIRECTION, direction(direction)).baseUnit(unit)
                .description(description + ", " + direction(direction) + " being client to backend").register(registry);
        return total;
    }

    /** @return the {@code direction} tag's value: {@code inbound} from the client to the backend, else {@code outbound} */
    static String direction(Direction direction) {
        return direction == Direction.CLIENT_TO_BACKEND ? "inbound" : "outbound";
    }

    /** @return the {@code cause} tag's value: the cause's name in lower case ({@code too_big}, {@code token_expired}) */
    static String cause(CloseCause cause) {
        return cause.name().toLowerCase(Locale.ROOT);
    }

    void handshakeStarted() {
        pending.incrementAndGet();
    }

    /** A handshake ended: it is no longer pending, and is counted and timed with its outcome. */
    void handshakeEnded(String outcome, HandshakeOutcome how) {
        pending.decrementAndGet();
        HandshakeKey key = new HandshakeKey(outcome, how.status(), how.error());
        Counter counter = handshakes.get(key);
        if (counter == null) {
            counter = handshakes.computeIfAbsent(key, k -> Counter.builder(WsGateMetrics.HANDSHAKES).tags(tags)
                    .tag(WsGateMetrics.TAG_OUTCOME, k.outcome()).tag(WsGateMetrics.TAG_STATUS, Integer.toString(k.status()))
                    .tag(WsGateMetrics.TAG_ERROR, k.error())
                    .description("Handshakes by outcome, status and gateway error code").register(registry));
        }
        counter.increment();
        handshakeDuration.record(how.duration());
    }

    void pairOpened(ConnectionPair pair) {
        live.add(pair);
    }

    /** A pair ended: it leaves the live set before its final counts join the totals (see {@link RelayedTotal}). */
    void pairClosed(ConnectionPair pair, PairEnd end) {
        live.remove(pair);
        for (RelayedTotal total : totals) {
            total.pairClosed(pair);
        }
        CloseKey key = new CloseKey(end.closeCode(), end.closedBy(), end.cause());
        Counter counter = closes.get(key);
        if (counter == null) {
            counter = closes.computeIfAbsent(key, k -> Counter.builder(WsGateMetrics.CLOSES).tags(tags)
                    .tag(WsGateMetrics.TAG_CODE, Integer.toString(k.code()))
                    .tag(WsGateMetrics.TAG_BY, k.by().name().toLowerCase(Locale.ROOT))
                    .tag(WsGateMetrics.TAG_CAUSE, cause(k.cause()))
                    .description("Pairs ended, by the close code that ended them, who closed and why").register(registry));
        }
        counter.increment();
        pairDuration.record(end.durationMillis(), TimeUnit.MILLISECONDS);
    }
}
