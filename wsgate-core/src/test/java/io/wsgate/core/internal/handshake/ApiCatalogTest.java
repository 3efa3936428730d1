package io.wsgate.core.internal.handshake;

import io.wsgate.api.ApiDefinition;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ApiCatalogTest {

    private static ApiDefinition api(String name, String suffix, String... gateways) {
        return ApiDefinition.builder(name).backend("ws://127.0.0.1:9/").urlSuffix(suffix).gateways(gateways).build();
    }

    private final ApiCatalog catalog = ApiCatalog.of("default", List.of(
            api("root", ""), api("echo", "/echo"), api("chat", "/echo/chat"), api("elsewhere", "/other", "edge")));

    @Test
    void longestSuffixWins() {
        assertThat(catalog.route("/echo/chat/room1")).get()
                .satisfies(r -> {
                    assertThat(r.api().name()).isEqualTo("chat");
                    assertThat(r.restPath()).isEqualTo("/room1");
                });
        assertThat(catalog.route("/echo/x").orElseThrow().api().name()).isEqualTo("echo");
        assertThat(catalog.route("/echo").orElseThrow().restPath()).isEmpty();
    }

    @Test
    void matchesWholeSegmentsOnly() {
        assertThat(catalog.route("/echoes").orElseThrow().api().name()).isEqualTo("root");
        assertThat(catalog.route("/echoes").orElseThrow().restPath()).isEqualTo("/echoes");
    }

    @Test
    void trailingSlashIsPartOfTheRest() {
        assertThat(catalog.route("/echo/").orElseThrow().restPath()).isEqualTo("/");
    }

    @Test
    void servesOnlyTheApisOfItsGateway() {
        ApiCatalog noRoot = ApiCatalog.of("default", List.of(api("echo", "/echo"), api("elsewhere", "/other", "edge")));
        assertThat(noRoot.route("/other")).isEmpty();
        assertThat(noRoot.route("/")).isEmpty();
        assertThat(noRoot.route("")).isEmpty();
        assertThat(ApiCatalog.of("edge", List.of(api("elsewhere", "/other", "edge"))).route("/other/x")).isPresent();
    }
}
