package io.wsgate.core;

import io.wsgate.api.ApiDefinition;
import io.wsgate.core.error.ConfigurationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewayConfigTest {

    private static ApiDefinition api(String name, String suffix, String... gateways) {
        return ApiDefinition.builder(name).backend("ws://127.0.0.1:9/").urlSuffix(suffix).gateways(gateways).build();
    }

    @Test
    void refusesTwoApisWithOneSuffixNamingBoth() {
        assertThatThrownBy(() -> GatewayConfig.builder().api(api("a", "/x"), api("b", "/x/")).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'a'").hasMessageContaining("'b'").hasMessageContaining("'/x'");
    }

    @Test
    void allowsOneSuffixOnDifferentGateways() {
        GatewayConfig config = GatewayConfig.builder().name("edge").api(api("a", "/x", "edge"), api("b", "/x", "inner")).build();
        assertThat(config.apis()).hasSize(2);
    }

    @Test
    void refusesTwoApisWithOneName() {
        assertThatThrownBy(() -> GatewayConfig.builder().api(api("a", "/x"), api("a", "/y")).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("two APIs are named 'a'");
    }

    @Test
    void startsABuilderFromABase() {
        GatewayConfig base = GatewayConfig.builder().name("g").api(api("a", "/x")).build();
        GatewayConfig next = GatewayConfig.from(base).api(api("b", "/y")).build();
        assertThat(next.name()).isEqualTo("g");
        assertThat(next.apis()).extracting(ApiDefinition::name).containsExactly("a", "b");
        assertThat(base.apis()).hasSize(1);
    }

    @Test
    void refusesBadValuesNamingThem() {
        assertThatThrownBy(() -> ApiDefinition.builder("a").backend("http://x/").build()).hasMessageContaining("ws://");
        assertThatThrownBy(() -> ApiDefinition.builder("a").build()).hasMessageContaining("no backend URL");
        assertThatThrownBy(() -> ApiDefinition.builder("bad name").backend("ws://x/").build()).hasMessageContaining("bad name");
        assertThatThrownBy(() -> GatewayConfig.builder().policyTimeout(java.time.Duration.ZERO)).hasMessageContaining("policyTimeout");
    }
}
