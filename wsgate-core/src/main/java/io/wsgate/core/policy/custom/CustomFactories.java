package io.wsgate.core.policy.custom;

import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.core.config.PolicyFactory;
import io.wsgate.core.config.PolicyOptions;

import java.util.List;
import java.util.Optional;

/**
 * The factories of {@code custom-authorizer} (which wraps the policy of a custom factory, named by its
 * {@code type}) and {@code return-response}, as a gateway file names them. Called on the thread that loads the file.
 */
public final class CustomFactories {

    private CustomFactories() {
    }

    /** @return the factories of this family, one per policy type */
    public static List<PolicyFactory> all() {
        return List.of(
                PolicyFactory.of("custom-authorizer", CustomFactories::customAuthorizer),
                PolicyFactory.of("return-response", CustomFactories::returnResponse));
    }

    private static HandshakePolicy customAuthorizer(PolicyOptions o) {
        String type = o.requireText("type");
        HandshakePolicy delegate = o.customPolicy("type", "options");
        CustomAuthorizer.Builder b = CustomAuthorizer.builder(type, delegate::evaluate);
        o.positiveDuration("timeout").ifPresent(b::timeout);
        return b.build();
    }

    private static HandshakePolicy returnResponse(PolicyOptions o) {
        int status = (int) o.requireInteger("status", 400, 599);
        String code = o.requireText("code");
        String message = o.text("message").orElse("");
        HandshakeDecision.Reject r = o.check(() -> HandshakeDecision.reject(status, code, message));
        Optional<PolicyOptions> headers = o.get("headers");
        if (headers.isPresent()) {
            for (String name : headers.get().keys()) {
                String value = headers.get().requireText(name);
                HandshakeDecision.Reject current = r;
                r = headers.get().require(name).check(() -> current.withHeader(name, value));
            }
        }
        Optional<String> body = o.text("body");
        if (body.isPresent()) {
            r = r.withBody(body.get());
        }
        return ReturnResponse.of(r);
    }
}
