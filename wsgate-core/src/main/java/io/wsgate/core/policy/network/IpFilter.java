package io.wsgate.core.policy.network;

import io.wsgate.api.HandshakeContext;
import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.core.error.GatewayError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The ip-filter policy: a client whose address is in a forbidden range, or (when there is an allow list) in
 * none of the allowed ranges, is refused with 403 {@code IP_FORBIDDEN}. IPv4 and IPv6, addresses and CIDR
 * ranges; the client address honours forwarding headers only from trusted proxies ({@link ClientAddresses}).
 *
 * <pre>{@code
 * HandshakePolicy office = IpFilter.builder().allow("203.0.113.0/24", "2001:db8::/32").forbid("203.0.113.7").build();
 * }</pre>
 */
public final class IpFilter implements HandshakePolicy {

    private static final Logger LOG = LoggerFactory.getLogger(IpFilter.class);

    private final List<Cidr> allow;
    private final List<Cidr> forbid;
    private final ClientAddresses addresses;

    private IpFilter(Builder b) {
        this.allow = List.copyOf(b.allow);
        this.forbid = List.copyOf(b.forbid);
        this.addresses = b.addresses;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "ip-filter";
    }

    @Override
    public CompletionStage<HandshakeDecision> evaluate(HandshakeContext context) {
        Optional<byte[]> client = addresses.resolve(context.request());
        if (client.isEmpty()) {
            return refuse(context, "client address unknown");
        }
        byte[] a = client.get();
        if (forbid.stream().anyMatch(c -> c.contains(a))) {
            return refuse(context, "address forbidden");
        }
        if (!allow.isEmpty() && allow.stream().noneMatch(c -> c.contains(a))) {
            return refuse(context, "address not allowed");
        }
        return CompletableFuture.completedFuture(HandshakeDecision.proceed());
    }

    private static CompletionStage<HandshakeDecision> refuse(HandshakeContext context, String why) {
        LOG.debug("request {}: ip-filter refused: {}", context.requestId(), why);
        return CompletableFuture.completedFuture(GatewayError.IP_FORBIDDEN.reject());
    }

    @Override
    public String toString() {
        return "IpFilter[allow=" + allow + ", forbid=" + forbid + ", " + addresses + "]";
    }

    /** Builds an {@link IpFilter}; not thread-safe. */
    public static final class Builder {
        private final List<Cidr> allow = new ArrayList<>();
        private final List<Cidr> forbid = new ArrayList<>();
        private ClientAddresses addresses = ClientAddresses.direct();

        private Builder() {
        }

        /**
         * Adds allowed addresses or ranges; with any, only they may connect.
         *
         * @throws IllegalArgumentException naming an entry that is not an address or range
         */
        public Builder allow(String... ranges) {
            for (String r : ranges) {
                allow.add(Cidr.parse(r));
            }
            return this;
        }

        /**
         * Adds forbidden addresses or ranges; they win over allowed ones.
         *
         * @throws IllegalArgumentException naming an entry that is not an address or range
         */
        public Builder forbid(String... ranges) {
            for (String r : ranges) {
                forbid.add(Cidr.parse(r));
            }
            return this;
        }

        /** Sets how the client address is found (default: the peer's, {@link ClientAddresses#direct()}). */
        public Builder clientAddresses(ClientAddresses addresses) {
            this.addresses = Objects.requireNonNull(addresses, "clientAddresses");
            return this;
        }

        /**
         * @return the policy
         * @throws IllegalArgumentException when neither list has an entry
         */
        public IpFilter build() {
            if (allow.isEmpty() && forbid.isEmpty()) {
                throw new IllegalArgumentException("ip-filter needs at least one allowed or forbidden address or range");
            }
            return new IpFilter(this);
        }
    }
}
