package io.wsgate.examples;

import io.wsgate.api.HandshakeContext;
import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.core.policy.jwt.JwtValidation;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A custom policy in a few lines: the client's {@code X-Tenant} header must name the tenant of
 * its verified token (the {@code tenant} claim left by a validate-jwt policy that runs before
 * it), and the backend is told the tenant in a header it can trust.
 *
 * <pre>{@code
 * ApiDefinition.builder("chat").backend("ws://chat:9000/").urlSuffix("/chat")
 *         .onHandshake(jwt, new TenantPolicy())
 *         .build();
 * }</pre>
 */
public final class TenantPolicy implements HandshakePolicy {

    @Override
    public CompletionStage<HandshakeDecision> evaluate(HandshakeContext context) {
        String asked = context.request().header("X-Tenant").orElse("");
        Object tenant = context.attribute(JwtValidation.CLAIMS_ATTRIBUTE, Map.class)
                .map(claims -> claims.get("tenant"))
                .orElse(null);
        if (asked.isEmpty() || !asked.equals(tenant)) {
            return CompletableFuture.completedFuture(
                    HandshakeDecision.reject(403, "TENANT_FORBIDDEN", "X-Tenant must name the tenant of your token."));
        }
        return CompletableFuture.completedFuture(HandshakeDecision.proceed()
                .withoutHeader("X-Tenant")
                .withHeader("X-Verified-Tenant", asked));
    }

    @Override
    public String name() {
        return "tenant";
    }
}
