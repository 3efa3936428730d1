package io.wsgate.core.policy.custom;

import io.wsgate.api.HandshakeContext;
import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.core.error.GatewayError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The custom authorizer policy: calls the application's asynchronous code (an HTTP call to an auth service,
 * say) and uses its decision. When that code throws, fails, returns nothing or does not answer within the
 * timeout, the handshake is refused with 503 {@code AUTHORIZER_UNAVAILABLE} (not 500: the gateway is fine,
 * the authorizer is not) and the cause is logged.
 *
 * <pre>{@code
 * HandshakePolicy auth = CustomAuthorizer.builder("auth-service", ctx -> authClient.check(ctx.request()))
 *         .timeout(Duration.ofSeconds(2)).build();
 * }</pre>
 */
public final class CustomAuthorizer implements HandshakePolicy {

    private static final Logger LOG = LoggerFactory.getLogger(CustomAuthorizer.class);

    private final String name;
    private final Function<HandshakeContext, CompletionStage<HandshakeDecision>> authorizer;
    private final Duration timeout;

    private CustomAuthorizer(Builder b) {
        this.name = b.name;
        this.authorizer = b.authorizer;
        this.timeout = b.timeout;
    }

    /**
     * @param name       the policy's name in logs
     * @param authorizer the application's code; must not block
     * @return a builder (default timeout 5 s)
     */
    public static Builder builder(String name, Function<HandshakeContext, CompletionStage<HandshakeDecision>> authorizer) {
        return new Builder(name, authorizer);
    }

    @Override
    public String name() {
        return name;
    }

    /** @return how long the authorizer may take */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public CompletionStage<HandshakeDecision> evaluate(HandshakeContext context) {
        CompletableFuture<HandshakeDecision> call;
        try {
            CompletionStage<HandshakeDecision> stage = authorizer.apply(context);
            if (stage == null) {
                throw new NullPointerException("authorizer returned no stage");
            }
            call = stage.toCompletableFuture().copy();
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(unavailable(context, e));
        }
        return call.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).handle((decision, error) -> {
            if (error != null) {
                return unavailable(context, error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
            }
            if (decision == null) {
                return unavailable(context, new NullPointerException("authorizer returned no decision"));
            }
            return decision;
        });
    }

    private HandshakeDecision unavailable(HandshakeContext context, Throwable cause) {
        if (cause instanceof TimeoutException) {
            LOG.warn("request {}: authorizer '{}' did not answer within {}", context.requestId(), name, timeout);
        } else {
            LOG.warn("request {}: authorizer '{}' failed", context.requestId(), name, cause);
        }
        return GatewayError.AUTHORIZER_UNAVAILABLE.reject();
    }

    @Override
    public String toString() {
        return "CustomAuthorizer[" + name + ", timeout=" + timeout + "]";
    }

    /** Builds a {@link CustomAuthorizer}; not thread-safe. */
    public static final class Builder {
        private final String name;
        private final Function<HandshakeContext, CompletionStage<HandshakeDecision>> authorizer;
        private Duration timeout = Duration.ofSeconds(5);

        private Builder(String name, Function<HandshakeContext, CompletionStage<HandshakeDecision>> authorizer) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("authorizer name is blank");
            }
            this.name = name;
            this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        }

        /** Sets how long the authorizer may take (default 5 s); keep it under the gateway's policy timeout. */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("authorizer timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** @return the policy */
        public CustomAuthorizer build() {
            return new CustomAuthorizer(this);
        }
    }
}
