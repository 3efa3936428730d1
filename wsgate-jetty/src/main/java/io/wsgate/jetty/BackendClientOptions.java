package io.wsgate.jetty;

import org.eclipse.jetty.io.ClientConnector;

import java.security.KeyStore;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the gateway reaches its backends, shared by {@link WsGateHandler} and {@link WsGateServlet}: either
 * a connector the gateway makes and owns (with a trust store and hostname verification for wss backends,
 * and a connect timeout), or a Jetty {@link ClientConnector} the application makes and manages (its TLS
 * settings, bind address, connect timeout and selectors then apply). Immutable.
 *
 * <pre>{@code
 * WsGateHandler.builder(config)
 *     .backendClient(BackendClientOptions.builder().trustStore(backendCa).build())
 *     .build();
 * }</pre>
 */
public final class BackendClientOptions {

    private static final BackendClientOptions DEFAULTS = new Builder().build();

    private final KeyStore trustStore;
    private final boolean hostnameVerification;
    private final Duration connectTimeout;
    private final ClientConnector connector;

    private BackendClientOptions(Builder b) {
        this.trustStore = b.trustStore;
        this.hostnameVerification = b.hostnameVerification;
        this.connectTimeout = b.connectTimeout;
        this.connector = b.connector;
    }

    /** @return the defaults: the gateway's own connector, the JVM's trust store, hostname verification on, 5 s to connect */
    public static BackendClientOptions ofDefaults() {
        return DEFAULTS;
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder with these options */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.trustStore = trustStore;
        b.hostnameVerification = hostnameVerification;
        b.connectTimeout = connectTimeout;
        b.connector = connector;
        return b;
    }

    /** @return the trust store wss backends' certificates are checked against; empty for the JVM's */
    public Optional<KeyStore> trustStore() {
        return Optional.ofNullable(trustStore);
    }

    /** @return whether a wss backend's certificate must name its host */
    public boolean hostnameVerification() {
        return hostnameVerification;
    }

    /** @return how long the gateway's own connector waits for a backend to accept a TCP connection */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** @return the connector the application manages, when it gave one */
    public Optional<ClientConnector> connector() {
        return Optional.ofNullable(connector);
    }

    /** Builds {@link BackendClientOptions}; not thread-safe. */
    public static final class Builder {
        private KeyStore trustStore;
        private boolean hostnameVerification = true;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private ClientConnector connector;

        private Builder() {
        }

        /** Sets the trust store that wss backends' certificates are checked against (default: the JVM's). */
        public Builder trustStore(KeyStore trustStore) {
            this.trustStore = Objects.requireNonNull(trustStore, "trustStore");
            return this;
        }

        /** Sets whether a wss backend's certificate must name its host (default: true; turn off only in tests). */
        public Builder hostnameVerification(boolean verify) {
            this.hostnameVerification = verify;
            return this;
        }

        /** Sets how long to wait for a backend to accept a TCP connection (default 5 s); a timeout is unreachable. */
        public Builder connectTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive, got " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * Uses a connector the application makes, starts and stops, instead of one the gateway owns: its
         * {@code SslContextFactory.Client}, bind address, connect timeout, executor, scheduler and selectors
         * apply to backend connections, and its connection listeners see them. The gateway never starts or
         * stops it.
         */
        public Builder connector(ClientConnector connector) {
            this.connector = Objects.requireNonNull(connector, "connector");
            return this;
        }

        /**
         * @return the options
         * @throws IllegalStateException when a trust store, hostname verification or a connect timeout is set
         *                               together with an application's connector (configure that connector instead)
         */
        public BackendClientOptions build() {
            if (connector != null && (trustStore != null || !hostnameVerification || !connectTimeout.equals(Duration.ofSeconds(5)))) {
                throw new IllegalStateException("trustStore, hostnameVerification and connectTimeout apply to the gateway's own"
                        + " connector only; configure the ClientConnector given to connector(...) instead");
            }
            return new BackendClientOptions(this);
        }
    }
}
