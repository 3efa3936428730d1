package io.wsgate.core.config;

import io.wsgate.core.DrainOptions;
import io.wsgate.core.GatewayConfig;
import io.wsgate.core.file.GatewayFiles;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The gateway file's {@code gateway.drain} block. */
class DrainFileTest {

    private static GatewayConfig parse(String yaml) {
        return GatewayFiles.loader().parse(yaml, "gateway.yaml");
    }

    private static GatewayFileException failure(String drain) {
        return catchThrowableOfType(GatewayFileException.class, () -> parse("gateway:\n  drain: " + drain + "\napis: []\n"));
    }

    @Test
    void readsEveryDrainSetting() {
        GatewayConfig config = parse("""
                gateway:
                  drain:
                    timeout: 20s
                    window: 1m
                    code: 1012
                    reason: service restart
                    retryAfter: 10
                apis: []
                """);

        assertThat(config.drain()).isEqualTo(new DrainOptions(Duration.ofSeconds(20), Duration.ofMinutes(1), 1012,
                "service restart", Duration.ofSeconds(10)));
    }

    @Test
    void keepsTheDefaultsOfWhatIsNotGivenAndAcceptsAWindowOfZero() {
        assertThat(parse("apis: []\n").drain()).isEqualTo(DrainOptions.ofDefaults());
        assertThat(parse("gateway:\n  drain: { window: 0, retryAfter: 1500ms }\napis: []\n").drain())
                .isEqualTo(DrainOptions.ofDefaults().withRetryAfter(Duration.ofMillis(1500)));
    }

    @Test
    void refusesABadValueWhereItStands() {
        GatewayFileException code = failure("{ code: 1006 }");
        GatewayFileException timeout = failure("{ timeout: 0s }");
        GatewayFileException window = failure("{ window: soon }");
        GatewayFileException key = failure("{ timout: 5s }");
        GatewayFileException reason = failure("{ reason: " + "x".repeat(124) + " }");

        assertThat(code.key()).isEqualTo("gateway.drain.code");
        assertThat(code.problem()).contains("1006").contains("1012");
        assertThat(timeout.key()).isEqualTo("gateway.drain.timeout");
        assertThat(timeout.problem()).contains("positive");
        assertThat(window.key()).isEqualTo("gateway.drain.window");
        assertThat(window.problem()).contains("'soon' is not a duration");
        assertThat(key.key()).isEqualTo("gateway.drain.timout");
        assertThat(key.problem()).contains("did you mean 'timeout'");
        assertThat(reason.key()).isEqualTo("gateway.drain.reason");
        assertThat(reason.problem()).contains("124 bytes");
    }
}
