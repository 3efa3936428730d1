package io.wsgate.core.internal.config;

import io.wsgate.api.HandshakeDecision;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.core.config.PolicyFactory;
import io.wsgate.core.error.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyTypesTest {

    private static final PolicyFactory TENANT = PolicyFactory.of("check-tenant", o -> HandshakePolicy.of("tenant", c -> HandshakeDecision.proceed()));

    @Test
    void everyBuiltInPolicyComesFromTheFactoryOfItsFamily() {
        PolicyTypes types = PolicyTypes.of(List.of(), List.of());

        assertThat(types.builtInTypes()).containsExactly("check-header", "check-origin", "custom-authorizer", "ip-filter",
                "message-rate-limit", "message-size-limit", "message-types",
                "quota-by-key", "rate-limit-by-key", "remove-header", "remove-query-parameter", "return-response",
                "rewrite-path", "set-backend", "set-header", "set-query-parameter", "validate-json", "validate-jwt");
        assertThat(types.messageFactory("validate-json")).get().extracting(io.wsgate.core.config.MessagePolicyFactory::type)
                .isEqualTo("validate-json");
        assertThat(types.factory("validate-json")).as("a message type is no handshake type").isEmpty();
        assertThat(types.customTypes()).isEmpty();
        assertThat(types.factory("validate-jwt")).get().extracting(PolicyFactory::type).isEqualTo("validate-jwt");
    }

    @Test
    void aFoundFactoryWithABuiltInTypeIsAConfigurationErrorNotAnOverride() {
        PolicyFactory impostor = PolicyFactory.of("validate-jwt", o -> HandshakePolicy.of("mine", c -> HandshakeDecision.proceed()));

        assertThatThrownBy(() -> PolicyTypes.of(List.of(impostor), List.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("claims the built-in type 'validate-jwt'")
                .hasMessageContaining("give the custom policy a type of its own");
    }

    @Test
    void customFactoriesStandBesideTheBuiltInOnes() {
        PolicyTypes types = PolicyTypes.of(List.of(TENANT), List.of());

        assertThat(types.customTypes()).containsExactly("check-tenant");
        assertThat(types.factory("check-tenant")).containsSame(TENANT);
        assertThat(types.custom("ip-filter")).isEmpty();
    }
}
