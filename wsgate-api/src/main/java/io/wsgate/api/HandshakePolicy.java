package io.wsgate.api;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * A step of an API's onHandshake chain: it reads the {@link HandshakeContext} and decides
 * whether the handshake goes on (possibly changing what the backend will be sent) or is
 * rejected with an HTTP response.
 *
 * <p>Policies are asynchronous and must not block the calling thread. Most are synchronous
 * computations; write those with {@link #of(String, Sync)}:
 * <pre>{@code
 * HandshakePolicy tenant = HandshakePolicy.of("tenant-header", ctx ->
 *         ctx.request().header("X-Tenant").isPresent()
 *                 ? HandshakeDecision.proceed()
 *                 : HandshakeDecision.reject(403, "TENANT_MISSING", "X-Tenant header required"));
 * }</pre>
 * Code that blocks (a database, a remote call with a blocking client) runs on an executor of the
 * application's through {@link #blocking(String, Executor, Sync)}.
 *
 * <p>A policy that throws, or whose stage fails, gives the client 500 with a request id and is
 * logged; it is never turned into a 403.
 */
@FunctionalInterface
public interface HandshakePolicy {

    /**
     * Decides on one handshake.
     *
     * @param context the handshake so far
     * @return the decision, possibly completed later; never null
     */
    CompletionStage<HandshakeDecision> evaluate(HandshakeContext context);

    /** @return the policy's name in logs and in an API's explained chain */
    default String name() {
        return getClass().getSimpleName();
    }

    /**
     * Whether this policy means anything on a WebSocket handshake. A policy that does not (one
     * written for HTTP APIs, say) is refused when placed on an API directly and skipped when
     * inherited from an enclosing scope.
     *
     * @return true, unless the policy only makes sense on plain HTTP requests
     */
    default boolean appliesToHandshake() {
        return true;
    }

    /**
     * A synchronous policy body.
     */
    @FunctionalInterface
    interface Sync {
        /**
         * @param context the handshake so far
         * @return the decision; never null
         * @throws Exception on failure: the client gets 500 and the cause is logged
         */
        HandshakeDecision evaluate(HandshakeContext context) throws Exception;
    }

    /**
     * @param name the policy's name
     * @param body a synchronous, non-blocking decision
     * @return a policy that runs the body on the calling thread
     */
    static HandshakePolicy of(String name, Sync body) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
        return new HandshakePolicy() {
            @Override
            public CompletionStage<HandshakeDecision> evaluate(HandshakeContext context) {
                try {
                    return CompletableFuture.completedFuture(Objects.requireNonNull(body.evaluate(context),
                            () -> "policy '" + name + "' returned no decision"));
                } catch (Throwable e) {
                    return CompletableFuture.failedFuture(e);
                }
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public String toString() {
                return "HandshakePolicy[" + name + "]";
            }
        };
    }

    /**
     * @param name     the policy's name
     * @param executor where the body runs (an executor of the application's, sized for blocking work)
     * @param body     a decision that may block
     * @return a policy that runs the body on the executor
     */
    static HandshakePolicy blocking(String name, Executor executor, Sync body) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(body, "body");
        return new HandshakePolicy() {
            @Override
            public CompletionStage<HandshakeDecision> evaluate(HandshakeContext context) {
                CompletableFuture<HandshakeDecision> result = new CompletableFuture<>();
                try {
                    executor.execute(() -> {
                        try {
                            result.complete(Objects.requireNonNull(body.evaluate(context),
                                    () -> "policy '" + name + "' returned no decision"));
                        } catch (Throwable e) {
                            result.completeExceptionally(e);
                        }
                    });
                } catch (Throwable rejected) {
                    result.completeExceptionally(rejected);
                }
                return result;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public String toString() {
                return "HandshakePolicy[" + name + ", blocking]";
            }
        };
    }
}
