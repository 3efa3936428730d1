package io.wsgate.core.config;

import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakePolicy;

import java.util.Map;

/** A custom policy factory found through ServiceLoader in the tests: X-Tenant must be the configured tenant. */
public final class TenantPolicyFactory implements PolicyFactory {

    @Override
    public String type() {
        return "check-tenant";
    }

    @Override
    public HandshakePolicy create(Map<String, Object> options) {
        Object tenant = options.get("tenant");
        if (!(tenant instanceof String t)) {
            throw new IllegalArgumentException("check-tenant needs 'tenant', a text");
        }
        return HandshakePolicy.of("check-tenant", ctx -> ctx.request().header("X-Tenant").filter(t::equals).isPresent()
                ? HandshakeDecision.proceed() : HandshakeDecision.reject(403, "TENANT_FORBIDDEN", "Wrong tenant."));
    }
}
