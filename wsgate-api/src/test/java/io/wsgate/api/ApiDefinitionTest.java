package io.wsgate.api;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiDefinitionTest {

    @Test
    void normalizesTheUrlSuffix() {
        assertThat(ApiDefinition.builder("a").backend("ws://b/").urlSuffix("chat/").build().urlSuffix()).isEqualTo("/chat");
        assertThat(ApiDefinition.builder("a").backend("ws://b/").urlSuffix("/").build().urlSuffix()).isEmpty();
        assertThatThrownBy(() -> ApiDefinition.builder("a").backend("ws://b/").urlSuffix("/x?y").build())
                .hasMessageContaining("plain path");
    }

    @Test
    void refusesABackendUrlWithUserInfoOrAFragment() {
        assertThatThrownBy(() -> ApiDefinition.builder("a").backend("ws://u:p@b/").build()).hasMessageContaining("user info");
        assertThatThrownBy(() -> ApiDefinition.builder("a").backend("ws://b/#x").build()).hasMessageContaining("fragment");
        assertThatThrownBy(() -> ApiDefinition.builder("a").backend("ws:///nohost").build()).hasMessageContaining("no host");
    }

    @Test
    void limitsNameTheBadValue() {
        assertThatThrownBy(() -> ApiLimits.ofDefaults().withMaxMessageSize(0)).hasMessageContaining("maxMessageSize").hasMessageContaining("0");
        assertThatThrownBy(() -> ApiLimits.ofDefaults().withIdleTimeout(Duration.ZERO)).hasMessageContaining("idleTimeout");
        assertThat(ApiLimits.ofDefaults().withMaxMessageSize(10).maxFrameSize()).as("the frame limit follows").isEqualTo(10);
    }

    @Test
    void aGatewayServesTheApisThatNameItOrNameNone() {
        ApiDefinition everywhere = ApiDefinition.builder("a").backend("ws://b/").build();
        ApiDefinition edgeOnly = ApiDefinition.builder("b").backend("ws://b/").gateways("edge").build();
        assertThat(everywhere.servedBy("any")).isTrue();
        assertThat(edgeOnly.servedBy("edge")).isTrue();
        assertThat(edgeOnly.servedBy("inner")).isFalse();
    }
}
