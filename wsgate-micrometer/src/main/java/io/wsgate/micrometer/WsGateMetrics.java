package io.wsgate.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.wsgate.core.GatewayListener;

import java.util.Objects;

/**
 * Micrometer meters of a gateway, recorded by a {@link GatewayListener}: add it where the gateway is built,
 * {@code WsGateHandler.builder(config).listener(WsGateMetrics.of(registry))} (or
 * {@code Gateway.create(config, List.of(WsGateMetrics.of(registry)))}).
 *
 * <p>Every meter but {@value #CONFIG_RELOADS} has the tag {@code api} (the API's name; {@code none} for a handshake no API matched) and the
 * common tags of {@link Builder#tags}. Names are dotted; a Prometheus registry shows them as
 * {@code wsgate_pairs_active}, {@code wsgate_handshakes_total}, {@code wsgate_handshake_duration_seconds}...
 * <table class="striped">
 *   <caption>The meters</caption>
 *   <thead><tr><th>name</th><th>type</th><th>tags beside {@code api}</th><th>what</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@value #PAIRS_ACTIVE}</td><td>gauge</td><td></td><td>pairs established now</td></tr>
 *   <tr><td>{@value #HANDSHAKES_PENDING}</td><td>gauge</td><td></td><td>handshakes between request and pair or refusal</td></tr>
 *   <tr><td>{@value #HANDSHAKES}</td><td>counter</td><td>{@code outcome} ({@code accepted}, {@code rejected},
 *       {@code failed}), {@code status} (101 or the HTTP status), {@code error} (the gateway error code,
 *       {@code none} when accepted)</td><td>handshakes ended</td></tr>
 *   <tr><td>{@value #HANDSHAKE_DURATION}</td><td>timer</td><td></td><td>from request to 101 or error response</td></tr>
 *   <tr><td>{@value #MESSAGES}</td><td>counter</td><td>{@code direction} ({@code inbound}: client to backend,
 *       {@code outbound})</td><td>whole messages relayed</td></tr>
 *   <tr><td>{@value #BYTES}</td><td>counter</td><td>{@code direction}</td><td>payload bytes relayed</td></tr>
 *   <tr><td>{@value #CLOSES}</td><td>counter</td><td>{@code code} (the close code that ended the pair),
 *       {@code by} ({@code client}, {@code backend}, {@code gateway}), {@code cause} (the
 *       {@link io.wsgate.api.CloseCause} in lower case: {@code normal}, {@code idle}, {@code too_big}...)</td>
 *       <td>pairs ended</td></tr>
 *   <tr><td>{@value #PAIR_DURATION}</td><td>timer</td><td></td><td>how long pairs lived</td></tr>
 *   <tr><td>{@value #CONFIG_RELOADS}</td><td>counter</td><td>{@code outcome} ({@code applied}, {@code unchanged},
 *       {@code failed}); no {@code api} tag</td><td>reloads of a {@code ReloadingGatewayFile}</td></tr>
 *   <tr><td>{@value #LIMIT_STORE_FAILURES}</td><td>counter</td><td>no {@code api}: {@code store} (e.g.
 *       {@code redis://redis:6379/0}), {@code operation} ({@code rate}, {@code acquire}, {@code renew},
 *       {@code release}), {@code mode} ({@code closed}, {@code open})</td><td>calls to a shared limit store that
 *       failed (down, or slower than its command timeout)</td></tr>
 *   </tbody>
 * </table>
 *
 * <p><b>Cost.</b> Nothing is recorded per frame: the relay counts each pair's messages and bytes anyway, and
 * {@value #MESSAGES} and {@value #BYTES} are function counters that add, when scraped, the final counts of the
 * pairs that have closed (summed when each closes) to the live counts of the pairs still open (read then).
 * They move while a pair is live, never go back (the highest value computed is reported) and never count a
 * pair twice (a closing pair leaves the live set before its final counts are added). A scrape walks the live
 * pairs of each API, four reads each. Each API's meters are made on its first event and kept; a handshake or
 * a close costs a map lookup and a counter increment.
 *
 * <p><b>Several gateways, one registry.</b> Give each its own listener with distinguishing {@link Builder#tags}
 * (for instance {@code gateway=name}): two listeners with the same tags would register the same gauges, and
 * Micrometer keeps only the first.
 */
public final class WsGateMetrics {

    /** Gauge: the pairs established now. */
    public static final String PAIRS_ACTIVE = "wsgate.pairs.active";
    /** Gauge: the handshakes between request and pair (or refusal) now. */
    public static final String HANDSHAKES_PENDING = "wsgate.handshakes.pending";
    /** Counter: the handshakes ended, by {@code outcome}, {@code status} and {@code error}. */
    public static final String HANDSHAKES = "wsgate.handshakes";
    /** Timer: from a handshake's request to its 101 or its error response. */
    public static final String HANDSHAKE_DURATION = "wsgate.handshake.duration";
    /** Function counter: whole messages relayed, by {@code direction}. */
    public static final String MESSAGES = "wsgate.messages";
    /** Function counter: payload bytes relayed, by {@code direction}. */
    public static final String BYTES = "wsgate.bytes";
    /** Counter: the pairs ended, by {@code code}, {@code by} and {@code cause}. */
    public static final String CLOSES = "wsgate.closes";
    /** Timer: how long pairs lived. */
    public static final String PAIR_DURATION = "wsgate.pair.duration";
    /**
     * Counter: the reloads of the gateway's file, by {@code outcome} ({@code applied}, {@code unchanged},
     * {@code failed}); the one meter without the {@code api} tag (a reload is the gateway's).
     */
    public static final String CONFIG_RELOADS = "wsgate.config.reloads";
    /** Counter: the failed calls to a shared limit store, by {@code store}, {@code operation} and {@code mode}. */
    public static final String LIMIT_STORE_FAILURES = "wsgate.limitstore.failures";

    /** Tag of every meter: the API's name. */
    public static final String TAG_API = "api";
    /** The {@value #TAG_API} of a handshake that no API matched (it was rejected with 404). */
    public static final String NO_API = "none";
    /** Tag of {@value #HANDSHAKES}: {@code accepted}, {@code rejected} or {@code failed}. */
    public static final String TAG_OUTCOME = "outcome";
    /** Tag of {@value #HANDSHAKES}: the HTTP status the client got (101 when accepted). */
    public static final String TAG_STATUS = "status";
    /** Tag of {@value #HANDSHAKES}: the gateway error code the client got, {@code none} when accepted. */
    public static final String TAG_ERROR = "error";
    /** Tag of {@value #MESSAGES} and {@value #BYTES}: {@code inbound} (client to backend) or {@code outbound}. */
    public static final String TAG_DIRECTION = "direction";
    /** Tag of {@value #CLOSES}: the code of the close that ended the pair. */
    public static final String TAG_CODE = "code";
    /** Tag of {@value #CLOSES}: {@code client}, {@code backend} or {@code gateway}. */
    public static final String TAG_BY = "by";
    /** Tag of {@value #CLOSES}: why, the {@link io.wsgate.api.CloseCause}'s name in lower case. */
    public static final String TAG_CAUSE = "cause";
    /** Tag of {@value #LIMIT_STORE_FAILURES}: the store, as it describes itself (never a password). */
    public static final String TAG_STORE = "store";
    /** Tag of {@value #LIMIT_STORE_FAILURES}: {@code rate}, {@code acquire}, {@code renew} or {@code release}. */
    public static final String TAG_OPERATION = "operation";
    /** Tag of {@value #LIMIT_STORE_FAILURES}: the store's failure mode, {@code closed} or {@code open}. */
    public static final String TAG_MODE = "mode";

    private WsGateMetrics() {
    }

    /**
     * Called once where the gateway is built.
     *
     * @param registry where the meters are registered
     * @return a listener recording the meters, without a percentiles histogram and with no common tags
     */
    public static GatewayListener of(MeterRegistry registry) {
        return builder(registry).build();
    }

    /**
     * @param registry where the meters are registered
     * @return a builder of the listener, to add common tags or percentiles histograms
     */
    public static Builder builder(MeterRegistry registry) {
        return new Builder(registry);
    }

    /** Builds the listener; not thread-safe, used once where the gateway is built. */
    public static final class Builder {
        private final MeterRegistry registry;
        private boolean histogram;
        private Tags tags = Tags.empty();

        private Builder(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /**
         * Sets whether {@value #HANDSHAKE_DURATION} and {@value #PAIR_DURATION} publish a percentiles
         * histogram (Prometheus buckets); off by default.
         */
        public Builder percentilesHistogram(boolean publish) {
            this.histogram = publish;
            return this;
        }

        /** Sets the tags added to every meter (replacing those set before); none by default. */
        public Builder tags(Iterable<Tag> tags) {
            Objects.requireNonNull(tags, "tags");
            Tags copy = Tags.of(tags);
            copy.stream().filter(t -> t.getKey().equals(TAG_API)).findAny().ifPresent(t -> {
                throw new IllegalArgumentException("the tag '" + TAG_API + "' is the API's name on every meter; "
                        + "name the common tag otherwise, got " + t);
            });
            this.tags = copy;
            return this;
        }

        /** @return the listener, to hand to the gateway's builder; thread-safe */
        public GatewayListener build() {
            return new MeteredListener(registry, tags, histogram);
        }
    }
}
