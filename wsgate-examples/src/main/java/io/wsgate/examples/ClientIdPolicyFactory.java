package io.wsgate.examples;

import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.core.config.PolicyFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A custom policy a gateway file names by type, found through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.wsgate.core.config.PolicyFactory}): {@code check-client-id} admits a
 * handshake whose client-id header holds one of the allowed ids, and refuses the others with 403.
 *
 * <pre>{@code
 * - check-client-id: { header: X-Client-Id, allowed: [web, ios] }
 * }</pre>
 */
public final class ClientIdPolicyFactory implements PolicyFactory {

    private static final Logger LOG = LoggerFactory.getLogger(ClientIdPolicyFactory.class);

    @Override
    public String type() {
        return "check-client-id";
    }

    @Override
    public HandshakePolicy create(Map<String, Object> options) {
        for (String key : options.keySet()) {
            if (!key.equals("header") && !key.equals("allowed")) {
                throw new IllegalArgumentException("check-client-id has no option '" + key + "'; use header and allowed");
            }
        }
        String header = String.valueOf(options.getOrDefault("header", "X-Client-Id"));
        if (!(options.get("allowed") instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("check-client-id needs 'allowed', a list of client ids");
        }
        Set<String> allowed = Set.copyOf(list.stream().map(String::valueOf).toList());
        LOG.debug("check-client-id on {} allowing {}", header, allowed);
        return HandshakePolicy.of("check-client-id", ctx -> ctx.request().header(header).filter(allowed::contains).isPresent()
                ? HandshakeDecision.proceed()
                : HandshakeDecision.reject(403, "CLIENT_FORBIDDEN", "This client may not connect."));
    }
}
