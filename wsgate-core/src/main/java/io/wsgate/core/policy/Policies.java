package io.wsgate.core.policy;

import io.wsgate.api.HandshakeContext;
import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.api.MessageContext;
import io.wsgate.api.MessagePolicy;
import io.wsgate.api.MessageVerdict;
import io.wsgate.api.Frame;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@link #base() base} marker of a scope's list, and the policy kinds that mean nothing on a
 * WebSocket handshake.
 *
 * <pre>{@code
 * ApiDefinition api = ApiDefinition.builder("chat").backend("ws://chat:8080/")
 *         .onHandshake(checkOrigin, Policies.base(), setTenantHeader)   // global/product/API policies run in the middle
 *         .build();
 * }</pre>
 */
public final class Policies {

    /**
     * The kinds of policy the reference gateways have for HTTP APIs that make no sense on a WebSocket
     * handshake. wsgate implements none of them; it knows their names so that a configuration shared
     * with HTTP APIs behaves as the reference describes.
     */
    public static final Set<String> HANDSHAKE_INAPPLICABLE_KINDS = Set.of(
            "mock-response", "cache-lookup", "cache-store", "cross-domain", "cors", "jsonp", "set-method",
            "set-body", "xml-to-json", "json-to-xml", "xsl-transform", "validate-content", "validate-parameters",
            "validate-headers", "validate-status-code");

    private static final HandshakePolicy BASE = new Marker();
    private static final MessagePolicy MESSAGE_BASE = new MessageMarker();

    private Policies() {
    }

    /**
     * @return the marker that stands, in a scope's list, where the enclosing scope's effective list runs;
     *         at most one per scope; a scope without one runs the enclosing list first
     */
    public static HandshakePolicy base() {
        return BASE;
    }

    /**
     * @param policy a policy from a scope's list
     * @return true when it is the {@link #base()} marker
     */
    public static boolean isBase(HandshakePolicy policy) {
        return policy == BASE;
    }

    /**
     * @return the marker that stands, in a scope's list of message policies, where the enclosing scope's effective
     *         list (of the entry's directions) runs; at most one per scope and direction; a scope without one runs the
     *         enclosing list first
     */
    public static MessagePolicy messageBase() {
        return MESSAGE_BASE;
    }

    /**
     * @param policy a message policy from a scope's list
     * @return true when it is the {@link #messageBase()} marker
     */
    public static boolean isBase(MessagePolicy policy) {
        return policy == MESSAGE_BASE;
    }

    /**
     * A stand-in for a policy kind wsgate knows by name but does not implement because it cannot apply to
     * a handshake (one of {@link #HANDSHAKE_INAPPLICABLE_KINDS}), as read from a configuration shared with
     * HTTP APIs. Refused on an API, skipped when inherited.
     *
     * @param kind one of {@link #HANDSHAKE_INAPPLICABLE_KINDS}, any case
     * @return the stand-in
     * @throws IllegalArgumentException when the kind is not one of those
     */
    public static HandshakePolicy inapplicable(String kind) {
        Objects.requireNonNull(kind, "kind");
        String k = kind.toLowerCase(Locale.ROOT);
        if (!HANDSHAKE_INAPPLICABLE_KINDS.contains(k)) {
            throw new IllegalArgumentException("'" + kind + "' is not a policy kind known to be inapplicable to handshakes; known: "
                    + HANDSHAKE_INAPPLICABLE_KINDS.stream().sorted().toList());
        }
        return new Inapplicable(k);
    }

    /**
     * @param policy a policy
     * @return true when it may run on a handshake: it says so and its name is not an inapplicable kind
     */
    public static boolean appliesToHandshake(HandshakePolicy policy) {
        return policy.appliesToHandshake()
                && !HANDSHAKE_INAPPLICABLE_KINDS.contains(policy.name().toLowerCase(Locale.ROOT));
    }

    private static final class Marker implements HandshakePolicy {
        @Override
        public CompletionStage<HandshakeDecision> evaluate(HandshakeContext context) {
            return CompletableFuture.completedFuture(HandshakeDecision.proceed());
        }

        @Override
        public String name() {
            return "base";
        }

        @Override
        public String toString() {
            return "Policies.base()";
        }
    }

    private static final class MessageMarker implements MessagePolicy {
        @Override
        public MessageVerdict onFrame(MessageContext context, Frame frame) {
            return MessageVerdict.forward();
        }

        @Override
        public String name() {
            return "base";
        }

        @Override
        public String toString() {
            return "Policies.messageBase()";
        }
    }

    private record Inapplicable(String name) implements HandshakePolicy {
        @Override
        public CompletionStage<HandshakeDecision> evaluate(HandshakeContext context) {
            return CompletableFuture.completedFuture(HandshakeDecision.proceed());
        }

        @Override
        public boolean appliesToHandshake() {
            return false;
        }
    }
}
