package io.wsgate.core.file;

import io.wsgate.core.Gateway;
import io.wsgate.core.GatewayListener;
import io.wsgate.core.ReloadResult;
import io.wsgate.core.ReloadResult.Outcome;
import io.wsgate.core.config.GatewayFileException;
import io.wsgate.core.policy.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reloading on request: what applies, what is unchanged, and what fails and leaves the configuration in force. */
class ReloadingGatewayFileTest {

    private static final String GOOD = """
            apis:
              - name: chat
                backendUrl: ws://127.0.0.1:9/
                urlSuffix: /chat
            """;
    private static final String TWO_APIS = GOOD + """
              - name: echo
                backendUrl: ws://127.0.0.1:9/
                urlSuffix: /echo
            """;
    /** Line 4, column 30: a flow mapping that is never closed. */
    private static final String BROKEN_YAML = """
            apis:
              - name: chat
                backendUrl: ws://127.0.0.1:9/
                limits: { idleTimeout: 1s
            """;
    /** Line 6, column 9: a policy type that does not exist. */
    private static final String UNKNOWN_POLICY = GOOD + """
                onHandshake:
                  - rate-limit-by-kee: { permits: 1, period: 1s }
            """;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T12:00:00Z"));
    private final List<ReloadResult> heard = new CopyOnWriteArrayList<>();
    private final GatewayListener listener = new GatewayListener() {
        @Override
        public void configReloaded(ReloadResult result) {
            heard.add(result);
        }
    };
    private ReloadingGatewayFile file;
    private Gateway gateway;

    @AfterEach
    void close() {
        if (file != null) {
            file.close();
        }
    }

    private Path path() {
        return dir.resolve("gateway.yaml");
    }

    private void write(String yaml) throws IOException {
        Files.writeString(path(), yaml);
    }

    private void open(String yaml) throws IOException {
        write(yaml);
        file = GatewayFiles.loader().withClock(clock).reloadable(path());
        gateway = file.createGateway(List.of(listener));
    }

    @Test
    void anAppliedReloadReconfiguresTheGatewayAndIsReported() throws IOException {
        open(GOOD);
        assertThat(file.lastReload()).isEmpty();
        assertThat(file.isWatching()).isFalse();

        write(TWO_APIS);
        clock.advance(Duration.ofSeconds(5));
        ReloadResult r = file.reload();

        assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(r.at()).isEqualTo(Instant.parse("2030-01-01T12:00:05Z"));
        assertThat(r.describe()).isEqualTo("applied");
        assertThat(gateway.config()).isSameAs(file.config());
        assertThat(gateway.route("/echo")).isPresent();
        assertThat(file.lastReload()).contains(r);
        assertThat(heard).containsExactly(r);
    }

    @Test
    void theSameContentAgainIsUnchanged() throws IOException {
        open(GOOD);
        var before = file.config();

        ReloadResult r = file.reload();

        assertThat(r.outcome()).isEqualTo(Outcome.UNCHANGED);
        assertThat(r.outcomeTag()).isEqualTo("unchanged");
        assertThat(file.config()).isSameAs(before);
        assertThat(gateway.config()).isSameAs(before);
        assertThat(heard).containsExactly(r);
    }

    @Test
    void aYamlSyntaxErrorKeepsTheConfigurationInForceAndIsLocatedAndLoggedOnce() throws IOException {
        failsLocatedAndLoggedOnce(BROKEN_YAML, ":4:30: not valid YAML");
    }

    @Test
    void aSemanticErrorKeepsTheConfigurationInForceAndIsLocatedAndLoggedOnce() throws IOException {
        failsLocatedAndLoggedOnce(UNKNOWN_POLICY, ":6:9: apis[0].onHandshake[0].rate-limit-by-kee: unknown policy type");
    }

    private void failsLocatedAndLoggedOnce(String broken, String location) throws IOException {
        open(GOOD);
        var before = file.config();
        write(broken);

        ReloadResult[] results = new ReloadResult[2];
        String log = stderrOf(() -> {
            results[0] = file.reload();
            results[1] = file.reload();
            return null;
        });

        ReloadResult r = results[0];
        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.message()).startsWith(path() + location);
        assertThat(r.describe()).isEqualTo("failed: " + r.message());
        assertThat(results[1]).isSameAs(r);
        assertThat(file.config()).isSameAs(before);
        assertThat(gateway.config()).isSameAs(before);
        assertThat(gateway.route("/chat")).isPresent();
        assertThat(file.lastReload()).contains(r);
        assertThat(heard).containsExactly(r);
        assertThat(log.lines().filter(l -> l.contains("reload failed"))).hasSize(1)
                .allSatisfy(l -> assertThat(l).contains(r.message()));
    }

    @Test
    void aFixedFileAppliesAfterAFailure() throws IOException {
        open(GOOD);
        write(BROKEN_YAML);
        file.reload();

        write(TWO_APIS);
        ReloadResult r = file.reload();

        assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(gateway.route("/echo")).isPresent();
        assertThat(heard).extracting(ReloadResult::outcome).containsExactly(Outcome.FAILED, Outcome.APPLIED);
    }

    @Test
    void aFileRevertedToTheContentInForceIsUnchangedAfterAFailure() throws IOException {
        open(GOOD);
        write(BROKEN_YAML);
        file.reload();

        write(GOOD);

        assertThat(file.reload().outcome()).isEqualTo(Outcome.UNCHANGED);
        assertThat(file.lastReload().orElseThrow().failed()).isFalse();
    }

    @Test
    void anAbsentFileFailsAReloadAskedForAndKeepsTheConfigurationInForce() throws IOException {
        open(GOOD);
        var before = file.config();
        Files.delete(path());

        ReloadResult r = file.reload();

        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.message()).isEqualTo(path() + ": no such file");
        assertThat(gateway.config()).isSameAs(before);
    }

    @Test
    void aFileThatIsNotUtf8FailsAndKeepsTheConfigurationInForce() throws IOException {
        open(GOOD);
        var before = file.config();
        Files.write(path(), new byte[] {'a', 'p', 'i', 's', ':', ' ', (byte) 0xC3, (byte) 0x28});

        ReloadResult r = file.reload();

        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.message()).startsWith(path() + ":1:1: not valid YAML").contains("MalformedInput");
        assertThat(gateway.config()).isSameAs(before);
    }

    @Test
    void aFirstLoadThatFailsThrowsTheLocatedError() throws IOException {
        write(UNKNOWN_POLICY);

        assertThatThrownBy(() -> GatewayFiles.loader().reloadable(path()))
                .isInstanceOf(GatewayFileException.class).hasMessageStartingWith(path() + ":6:9:");
        assertThatThrownBy(() -> GatewayFiles.watching(dir.resolve("absent.yaml")))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("no such file");
    }

    @Test
    void aListenerThatThrowsHarmsNoReload() throws IOException {
        write(GOOD);
        file = GatewayFiles.loader().reloadable(path());
        gateway = file.createGateway(List.of(new GatewayListener() {
            @Override
            public void configReloaded(ReloadResult result) {
                throw new IllegalStateException("boom");
            }
        }, listener));
        write(TWO_APIS);

        assertThat(file.reload().outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(heard).hasSize(1);
        assertThat(gateway.route("/echo")).isPresent();
    }

    /** @return what was logged (slf4j-simple writes to System.err) while the step ran */
    private static String stderrOf(Supplier<Void> step) {
        PrintStream original = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            step.get();
        } finally {
            System.setErr(original);
        }
        String log = out.toString(StandardCharsets.UTF_8);
        original.print(log);
        return log;
    }
}
