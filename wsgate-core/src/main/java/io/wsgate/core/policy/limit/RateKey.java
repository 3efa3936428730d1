package io.wsgate.core.policy.limit;

import io.wsgate.api.HandshakeContext;
import io.wsgate.core.policy.ProductSelection;
import io.wsgate.core.policy.jwt.JwtValidation;
import io.wsgate.core.policy.network.ClientAddresses;

import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a handshake is counted under by rate limits, quotas and connection limits: the client's address, a
 * verified JWT claim, the subscription key, a header, or any function of the handshake.
 */
@FunctionalInterface
public interface RateKey {

    /**
     * @param context the handshake
     * @return its key; empty when it has none (such handshakes share one key, {@code ""})
     */
    Optional<String> of(HandshakeContext context);

    /** @return the client's address (the peer's) */
    static RateKey clientIp() {
        return clientIp(ClientAddresses.direct());
    }

    /**
     * @param addresses how the client address is found behind trusted proxies
     * @return the client's address
     */
    static RateKey clientIp(ClientAddresses addresses) {
        Objects.requireNonNull(addresses, "addresses");
        return ctx -> addresses.resolve(ctx.request()).map(b -> HexFormat.of().formatHex(b));
    }

    /**
     * @param claim a claim of the token {@link JwtValidation} verified earlier in the chain, e.g. {@code sub}
     * @return that claim's value
     */
    static RateKey claim(String claim) {
        Objects.requireNonNull(claim, "claim");
        return ctx -> ctx.attribute(JwtValidation.CLAIMS_ATTRIBUTE, Map.class)
                .map(m -> m.get(claim)).map(String::valueOf);
    }

    /** @return the subscription key the request's product was selected by */
    static RateKey subscription() {
        return ctx -> ctx.attribute(ProductSelection.SUBSCRIPTION_KEY_ATTRIBUTE, String.class);
    }

    /**
     * @param header a request header
     * @return its first value
     */
    static RateKey header(String header) {
        Objects.requireNonNull(header, "header");
        return ctx -> ctx.request().header(header);
    }
}
