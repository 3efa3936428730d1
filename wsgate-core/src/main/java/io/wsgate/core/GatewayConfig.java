package io.wsgate.core;

import io.wsgate.api.ApiDefinition;
import io.wsgate.core.error.ConfigurationException;
import io.wsgate.core.error.ErrorOverride;
import io.wsgate.core.error.GatewayError;
import io.wsgate.core.policy.ApiChains;
import io.wsgate.core.policy.PolicyCatalog;
import io.wsgate.core.policy.limit.ConnectionLimiter;
import io.wsgate.core.store.LimitStore;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The immutable configuration of one gateway: its name, the APIs it may serve and its own
 * settings: the global policies and the products ({@link PolicyCatalog}) and the connection
 * limits. Checked when built: two APIs with one name, two APIs served by this gateway with one
 * URL suffix, or a policy chain that cannot be resolved (an unknown product, two {@code base}
 * markers in a scope, a policy placed where it cannot apply) fail with a
 * {@link ConfigurationException} naming the scope and the fix. Every served API's effective
 * chains are resolved here, once, never per request.
 *
 * <pre>{@code
 * GatewayConfig config = GatewayConfig.builder()
 *         .api(ApiDefinition.builder("echo").backend("ws://127.0.0.1:9000/").urlSuffix("/echo").build())
 *         .build();
 * }</pre>
 */
public final class GatewayConfig {

    /** The name of a gateway that was given none. */
    public static final String DEFAULT_NAME = "default";
    /** How long a policy chain may take by default: 10 seconds. */
    public static final Duration DEFAULT_POLICY_TIMEOUT = Duration.ofSeconds(10);
    /** The calling thread's {@link ThreadLocalRandom}, whichever thread calls. */
    private static final RandomGenerator DEFAULT_RANDOM = () -> ThreadLocalRandom.current().nextLong();

    private final String name;
    private final List<ApiDefinition> apis;
    private final Duration policyTimeout;
    private final Clock clock;
    private final Scheduler scheduler;
    private final RandomGenerator random;
    private final PolicyCatalog policies;
    private final ConnectionLimiter connectionLimiter;
    private final LimitStore limitStore;
    private final DrainOptions drain;
    private final Map<String, ApiChains> chains;
    private final Map<GatewayError, ErrorOverride> errorResponses;
    private final Map<String, Map<GatewayError, ErrorOverride>> apiErrorResponses;

    private GatewayConfig(Builder b) {
        this.name = b.name;
        this.apis = List.copyOf(b.apis);
        this.policyTimeout = b.policyTimeout;
        this.clock = b.clock;
        this.scheduler = b.scheduler;
        this.random = b.random;
        this.policies = b.policies;
        this.connectionLimiter = b.connectionLimiter;
        this.limitStore = b.limitStore;
        this.drain = b.drain;
        this.errorResponses = Collections.unmodifiableMap(new EnumMap<>(b.errorResponses));
        Map<String, Map<GatewayError, ErrorOverride>> perApi = new LinkedHashMap<>();
        b.apiErrorResponses.forEach((api, map) -> perApi.put(api, Collections.unmodifiableMap(new EnumMap<>(map))));
        this.apiErrorResponses = Collections.unmodifiableMap(perApi);
        check();
        Map<String, ApiChains> resolved = new HashMap<>();
        for (ApiDefinition api : apis) {
            if (api.servedBy(name)) {
                resolved.put(api.name(), policies.resolve(api));
            }
        }
        this.chains = Map.copyOf(resolved);
    }

    private void check() {
        Map<String, ApiDefinition> byName = new HashMap<>();
        Map<String, ApiDefinition> bySuffix = new HashMap<>();
        for (ApiDefinition api : apis) {
            ApiDefinition same = byName.putIfAbsent(api.name(), api);
            if (same != null) {
                throw ConfigurationException.of("gateway '" + name + "'", "two APIs are named '" + api.name() + "'",
                        "give every API its own name");
            }
            if (!api.servedBy(name)) {
                continue;
            }
            ApiDefinition clash = bySuffix.putIfAbsent(api.urlSuffix(), api);
            if (clash != null) {
                throw ConfigurationException.of("gateway '" + name + "'",
                        "APIs '" + clash.name() + "' and '" + api.name() + "' both use URL suffix '" + api.urlSuffix() + "'",
                        "give one of them another URL suffix, or serve them on different gateways");
            }
        }
        for (String api : apiErrorResponses.keySet()) {
            if (!byName.containsKey(api)) {
                throw ConfigurationException.of("gateway '" + name + "'", "error responses are given for API '" + api
                        + "', which is not declared", "declare that API, or remove its error responses (known: "
                        + byName.keySet() + ")");
            }
        }
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder that starts from this configuration */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.apis.addAll(apis);
        b.policyTimeout = policyTimeout;
        b.clock = clock;
        b.scheduler = scheduler;
        b.random = random;
        b.policies = policies;
        b.connectionLimiter = connectionLimiter;
        b.limitStore = limitStore;
        b.drain = drain;
        b.errorResponses.putAll(errorResponses);
        apiErrorResponses.forEach((api, map) -> b.apiErrorResponses.put(api, new EnumMap<>(map)));
        return b;
    }

    /**
     * @param base a configuration
     * @return a builder that starts from it
     */
    public static Builder from(GatewayConfig base) {
        return base.toBuilder();
    }

    /** @return this gateway's name; it serves the APIs associated with it */
    public String name() {
        return name;
    }

    /** @return every API of the configuration, served by this gateway or not */
    public List<ApiDefinition> apis() {
        return apis;
    }

    /** @return how long a handshake's whole policy chain may take before the client gets 500 */
    public Duration policyTimeout() {
        return policyTimeout;
    }

    /** @return the clock for timestamps and durations */
    public Clock clock() {
        return clock;
    }

    /**
     * @return the scheduler of the gateway's timed work (live-token enforcement, maximum lifetimes, keepalive pings, a
     *         drain's batches and timeout)
     */
    public Scheduler scheduler() {
        return scheduler;
    }

    /**
     * @return the random source of the gateway's jitter (how much earlier than its maximum lifetime a pair is
     *         closed); called from the gateway's threads, when a pair is established
     */
    public RandomGenerator random() {
        return random;
    }

    /** @return the global policies, the products and the subscription-key names */
    public PolicyCatalog policies() {
        return policies;
    }

    /** @return the connection limiter, when concurrent pairs are limited */
    public Optional<ConnectionLimiter> connectionLimiter() {
        return Optional.ofNullable(connectionLimiter);
    }

    /**
     * @return the store the gateway's limits count in ({@link LimitStore#inMemory()} unless set); the gateway
     *         reports its failures to its listeners ({@link GatewayListener#limitStoreFailed})
     */
    public LimitStore limitStore() {
        return limitStore;
    }

    /**
     * @return how the gateway drains when its Handler or Servlet stops (unless the adapter was given other
     *         options); {@link DrainOptions#ofDefaults()} unless set
     */
    public DrainOptions drain() {
        return drain;
    }

    /** @return the gateway's overrides of its error table, by entry */
    public Map<GatewayError, ErrorOverride> errorResponses() {
        return errorResponses;
    }

    /**
     * @param apiName an API's name
     * @return the overrides that apply to that API's handshakes: the gateway's, changed by the API's own
     */
    public Map<GatewayError, ErrorOverride> errorResponses(String apiName) {
        Map<GatewayError, ErrorOverride> own = apiErrorResponses.get(apiName);
        if (own == null) {
            return errorResponses;
        }
        Map<GatewayError, ErrorOverride> merged = new EnumMap<>(GatewayError.class);
        merged.putAll(errorResponses);
        own.forEach((error, o) -> merged.merge(error, o, ErrorOverride::overriddenBy));
        return Collections.unmodifiableMap(merged);
    }

    /**
     * @param apiName an API served by this gateway
     * @return its effective chains (one per product, one without), resolved when this configuration was built
     */
    public Optional<ApiChains> chains(String apiName) {
        return Optional.ofNullable(chains.get(apiName));
    }

    /**
     * @param apiName an API served by this gateway
     * @return every step of its effective chains with its scope and whether it runs, one per line
     * @throws IllegalArgumentException when this gateway serves no API of that name
     */
    public String explain(String apiName) {
        return chains(apiName).map(ApiChains::explain)
                .orElseThrow(() -> new IllegalArgumentException("gateway '" + name + "' serves no API named '" + apiName + "'"));
    }

    @Override
    public String toString() {
        return "GatewayConfig[name=" + name + ", apis=" + apis.stream().map(ApiDefinition::name).toList() + "]";
    }

    /** Builds a {@link GatewayConfig}; not thread-safe. */
    public static final class Builder {
        private String name = DEFAULT_NAME;
        private final List<ApiDefinition> apis = new ArrayList<>();
        private Duration policyTimeout = DEFAULT_POLICY_TIMEOUT;
        private Clock clock = Clock.systemUTC();
        private Scheduler scheduler = Scheduler.jdk();
        private RandomGenerator random = DEFAULT_RANDOM;
        private PolicyCatalog policies = PolicyCatalog.empty();
        private ConnectionLimiter connectionLimiter;
        private LimitStore limitStore = LimitStore.inMemory();
        private DrainOptions drain = DrainOptions.ofDefaults();
        private final Map<GatewayError, ErrorOverride> errorResponses = new EnumMap<>(GatewayError.class);
        private final Map<String, Map<GatewayError, ErrorOverride>> apiErrorResponses = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Overrides one entry of the error table for every API of this gateway (and for requests that reach
         * none): its status, message, headers or body template. Replaces an earlier override of that entry.
         *
         * <pre>{@code
         * .errorResponse(GatewayError.API_NOT_FOUND, ErrorOverride.builder().status(404).body("no such room").build())
         * }</pre>
         */
        public Builder errorResponse(GatewayError error, ErrorOverride override) {
            errorResponses.put(Objects.requireNonNull(error, "error"), Objects.requireNonNull(override, "override"));
            return this;
        }

        /**
         * Overrides one entry of the error table for one API's handshakes; what it leaves unset comes from the
         * gateway's override of that entry. Replaces an earlier override of that API and entry. The API must be
         * declared in this configuration when it is built.
         */
        public Builder errorResponse(String apiName, GatewayError error, ErrorOverride override) {
            Objects.requireNonNull(apiName, "apiName");
            apiErrorResponses.computeIfAbsent(apiName, k -> new EnumMap<>(GatewayError.class))
                    .put(Objects.requireNonNull(error, "error"), Objects.requireNonNull(override, "override"));
            return this;
        }

        /** Sets the global policies, the products and the subscription-key names (default: none). */
        public Builder policies(PolicyCatalog policies) {
            this.policies = Objects.requireNonNull(policies, "policies");
            return this;
        }

        /** Limits concurrent pairs per gateway, API and key (default: no limit). */
        public Builder connectionLimits(ConnectionLimiter limiter) {
            this.connectionLimiter = Objects.requireNonNull(limiter, "limiter");
            return this;
        }

        /**
         * Sets the store the gateway's limits count in (default {@link LimitStore#inMemory()}): its failures go to the
         * gateway's listeners. The limits themselves are built on it ({@code store(...)} of their builders; a gateway
         * file does both).
         */
        public Builder limitStore(LimitStore store) {
            this.limitStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Sets how the gateway drains when its Handler or Servlet stops (default {@link DrainOptions#ofDefaults()}). */
        public Builder drain(DrainOptions options) {
            this.drain = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Sets the gateway's name (default {@value #DEFAULT_NAME}). */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("gateway name is blank");
            }
            this.name = name;
            return this;
        }

        /** Adds APIs. */
        public Builder api(ApiDefinition... apis) {
            for (ApiDefinition api : apis) {
                this.apis.add(Objects.requireNonNull(api, "api"));
            }
            return this;
        }

        /** Adds APIs. */
        public Builder apis(List<ApiDefinition> apis) {
            apis.forEach(this::api);
            return this;
        }

        /** Removes the API of that name, if any. */
        public Builder removeApi(String apiName) {
            apis.removeIf(a -> a.name().equals(apiName));
            return this;
        }

        /** Sets how long a policy chain may take (default 10 s). */
        public Builder policyTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "policyTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("policyTimeout must be positive, got " + timeout);
            }
            this.policyTimeout = timeout;
            return this;
        }

        /** Sets the clock (default: the system's, UTC); tests drive their own. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets the scheduler of the gateway's timed work, such as closing a pair when its token expires
         * (default: {@link Scheduler#jdk()}, one shared daemon thread); tests give a {@code ManualScheduler}
         * (wsgate-testing) and its clock.
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Sets the random source of the gateway's jitter: a pair with a maximum lifetime is closed up to 10% of it
         * earlier, by {@code random.nextDouble()} (default: each thread's {@link ThreadLocalRandom}). It is called
         * from the gateway's threads: it must be thread-safe. Tests give a fixed one, with a {@code ManualScheduler}.
         */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * @return the configuration
         * @throws ConfigurationException naming the APIs involved when two clash
         */
        public GatewayConfig build() {
            return new GatewayConfig(this);
        }
    }
}
