package io.wsgate.micrometer;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wsgate.core.file.GatewayFiles;
import io.wsgate.core.file.ReloadingGatewayFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code wsgate.config.reloads}: one count per reload of a gateway file, by outcome. */
class ReloadMetricsTest {

    private static final String GOOD = """
            apis:
              - name: chat
                backendUrl: ws://127.0.0.1:9/
                urlSuffix: /chat
            """;

    @TempDir
    Path dir;

    @Test
    void everyReloadIsCountedByItsOutcome() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Path path = dir.resolve("gateway.yaml");
        Files.writeString(path, GOOD);
        try (ReloadingGatewayFile file = GatewayFiles.loader().reloadable(path)) {
            file.createGateway(List.of(WsGateMetrics.of(registry)));

            file.reload();
            Files.writeString(path, GOOD.replace("/chat", "/chat/v2"));
            file.reload();
            Files.writeString(path, "apis: [ {");
            file.reload();

            assertThat(count(registry, "unchanged")).isEqualTo(1.0);
            assertThat(count(registry, "applied")).isEqualTo(1.0);
            assertThat(count(registry, "failed")).isEqualTo(1.0);
            assertThat(registry.find(WsGateMetrics.CONFIG_RELOADS).counter().getId().getTag(WsGateMetrics.TAG_API)).isNull();
        }
    }

    private static double count(SimpleMeterRegistry registry, String outcome) {
        return registry.get(WsGateMetrics.CONFIG_RELOADS).tag(WsGateMetrics.TAG_OUTCOME, outcome).counter().count();
    }
}
