package io.wsgate.core.policy.network;

import io.wsgate.api.HandshakePolicy;
import io.wsgate.core.config.PolicyFactory;
import io.wsgate.core.config.PolicyOptions;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The factories of {@code ip-filter}, {@code check-origin} and {@code check-header}, as a gateway file names them.
 * Called on the thread that loads the file.
 */
public final class NetworkFactories {

    private NetworkFactories() {
    }

    /** @return the factories of this family, one per policy type */
    public static List<PolicyFactory> all() {
        return List.of(
                PolicyFactory.of("ip-filter", NetworkFactories::ipFilter),
                PolicyFactory.of("check-origin", NetworkFactories::checkOrigin),
                PolicyFactory.of("check-header", NetworkFactories::checkHeader));
    }

    /**
     * @param proxies trusted proxies (CIDR ranges); none for the connection's own address
     * @param at      where they were given, for a refusal
     * @return how to find a request's client address
     */
    public static ClientAddresses clientAddresses(List<String> proxies, PolicyOptions at) {
        return proxies.isEmpty() ? ClientAddresses.direct() : at.check(() -> ClientAddresses.trusting(proxies.toArray(String[]::new)));
    }

    private static HandshakePolicy ipFilter(PolicyOptions o) {
        IpFilter.Builder b = IpFilter.builder();
        each(o, "allow", b::allow);
        each(o, "forbid", b::forbid);
        Optional<PolicyOptions> own = o.get("trustedProxies");
        List<String> proxies = own.isPresent() ? o.texts("trustedProxies") : o.trustedProxies();
        b.clientAddresses(clientAddresses(proxies, own.orElse(o)));
        return o.check(b::build);
    }

    private static void each(PolicyOptions o, String key, Consumer<String> add) {
        for (PolicyOptions item : o.items(key)) {
            String text = item.text();
            item.check(() -> {
                add.accept(text);
                return text;
            });
        }
    }

    private static HandshakePolicy checkOrigin(PolicyOptions o) {
        CheckOrigin.Builder b = CheckOrigin.builder();
        each(o, "allow", b::allow);
        o.bool("allowMissing").ifPresent(b::allowMissing);
        return o.check(b::build);
    }

    private static HandshakePolicy checkHeader(PolicyOptions o) {
        String name = o.requireText("name");
        CheckHeader.Builder b = o.require("name").check(() -> CheckHeader.builder(name));
        b.values(o.texts("values").toArray(String[]::new));
        o.bool("ignoreCase").ifPresent(b::ignoreCase);
        o.integer("status", 100, 599).ifPresent(s -> o.require("status").check(() -> b.status(s.intValue())));
        return b.build();
    }
}
