package io.wsgate.bench.orchestrator;

import io.wsgate.bench.Args;
import io.wsgate.bench.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewaysTest {

    private static final Set<String> FLAGS = Set.of("no-wsgate", "wsgate-access-log");
    private static final Set<String> VALUED = Set.of("variant", "wsgate-jar", "wsgate-arg", "wsgate-jvm-arg");

    @TempDir
    Path dir;

    private Gateways parse(String... args) {
        return Gateways.from(Args.parse(args, FLAGS, VALUED), Set.of("direct", "nginx-default"), false, new ArrayList<>());
    }

    private String jar() throws Exception {
        Path jar = dir.resolve("demo.jar");
        Files.writeString(jar, "");
        return jar.toString();
    }

    @Test
    void aVariantSplitsItsArgumentsBetweenTheJvmAndTheDemo() {
        Gateways.Variant v = Gateways.Variant.parse("x=-Xmx64m --connector dedicated -XX:+UseSerialGC --accept-queue 50");

        assertThat(v.name()).isEqualTo("x");
        assertThat(v.jvmArgs()).containsExactly("-Xmx64m", "-XX:+UseSerialGC");
        assertThat(v.demoArgs()).containsExactly("--connector", "dedicated", "--accept-queue", "50");
    }

    @Test
    void theDefaultGatewayComesFirstThenTheVariantsInOrder() throws Exception {
        Gateways g = parse("--wsgate-jar", jar(), "--variant", "connector=--connector dedicated", "--variant", "x64=-Xmx64m");

        assertThat(g.variants()).extracting(Gateways.Variant::name).containsExactly("wsgate", "connector", "x64");
        assertThat(parse("--wsgate-jar", jar(), "--no-wsgate", "--variant", "x64=-Xmx64m").variants())
                .extracting(Gateways.Variant::name).containsExactly("x64");
    }

    @Test
    void aVariantNeedsAFreeNameAndNoRoutingOfItsOwn() throws Exception {
        String jar = jar();
        assertThatThrownBy(() -> parse("--wsgate-jar", jar, "--variant", "nope"))
                .isInstanceOf(UsageException.class).hasMessageContaining("NAME=ARGS");
        assertThatThrownBy(() -> parse("--wsgate-jar", jar, "--variant", "wsgate=-Xmx64m"))
                .isInstanceOf(UsageException.class).hasMessageContaining("'wsgate' is taken");
        assertThatThrownBy(() -> parse("--wsgate-jar", jar, "--variant", "nginx-default=-Xmx64m"))
                .isInstanceOf(UsageException.class).hasMessageContaining("is taken");
        assertThatThrownBy(() -> parse("--wsgate-jar", jar, "--variant", "a=-Xmx64m", "--variant", "a=-Xmx48m"))
                .isInstanceOf(UsageException.class).hasMessageContaining("'a' is taken");
        assertThatThrownBy(() -> parse("--wsgate-jar", jar, "--variant", "r=--route /x=ws://h:1/x"))
                .isInstanceOf(UsageException.class).hasMessageContaining("--wsgate-arg");
    }

    @Test
    void aMissingJarFailsWhenAVariantNeedsIt() {
        assertThatThrownBy(() -> parse("--wsgate-jar", dir.resolve("none.jar").toString(), "--variant", "a=-Xmx64m"))
                .isInstanceOf(UsageException.class).hasMessageContaining("no such file");
        assertThat(parse("--no-wsgate", "--wsgate-jar", dir.resolve("none.jar").toString()).jar()).isEmpty();
    }

    @Test
    void theHeapIsFixedAtOneGibibyteUnlessTheArgumentsSizeIt() {
        assertThat(Gateways.heap(List.of(), true)).containsExactly("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch");
        assertThat(Gateways.heap(List.of("-Xmx64m"), true)).containsExactly("-Xms64m", "-XX:+AlwaysPreTouch");
        assertThat(Gateways.heap(List.of("-Xms2g"), false)).containsExactly("-Xmx2g");
        assertThat(Gateways.heap(List.of("-Xms32m", "-Xmx64m"), false)).isEmpty();
    }

    @Test
    void aCommandLinePutsTheJvmArgumentsBeforeTheJarAndTheVariantsAfterTheCommonOnes() throws Exception {
        String jar = jar();
        Gateways g = parse("--wsgate-jar", jar, "--wsgate-jvm-arg", "-XX:+UseSerialGC", "--wsgate-arg", "--warm-up",
                "--wsgate-arg", "0", "--variant", "c=--connector dedicated -Xmx64m");

        List<String> cmd = g.command(g.variants().get(1), List.of("taskset", "-c", "1"), "java", true,
                List.of("--config", "/w/wsgate.yaml"), "ws://127.0.0.1:9");

        assertThat(cmd).containsExactly("taskset", "-c", "1", "java", "-Xms64m", "-XX:+AlwaysPreTouch",
                Gateways.ACCESS_LOG_OFF, "-XX:+UseSerialGC", "-Xmx64m", "-jar", jar, "--port", "0",
                "--config", "/w/wsgate.yaml", "--warm-up", "0", "--connector", "dedicated");
    }

    @Test
    void theBackendPlaceholderIsReplacedInEveryDemoArgument() throws Exception {
        Gateways g = parse("--wsgate-jar", jar(), "--wsgate-arg", "--route", "--wsgate-arg", "/echo={backend}/echo");

        assertThat(g.userRouting()).isTrue();
        assertThat(g.userConfig()).isFalse();
        assertThat(g.command(g.variants().get(0), List.of(), "java", false, List.of(), "ws://127.0.0.1:9"))
                .endsWith("--route", "/echo=ws://127.0.0.1:9/echo");
    }

    @Test
    void theAccessLogIsOffUnlessKeptOrTurnedOnByAVariant() throws Exception {
        String jar = jar();
        Gateways off = parse("--wsgate-jar", jar, "--variant", "log=-Dorg.slf4j.simpleLogger.log.wsgate.access=info");
        assertThat(off.accessLogOn(off.variants().get(0))).isFalse();
        assertThat(off.accessLogOn(off.variants().get(1))).isTrue();

        Gateways kept = parse("--wsgate-jar", jar, "--wsgate-access-log",
                "--variant", "nolog=-Dorg.slf4j.simpleLogger.log.wsgate.access=warn");
        assertThat(kept.accessLogOn(kept.variants().get(0))).isTrue();
        assertThat(kept.accessLogOn(kept.variants().get(1))).isFalse();
        assertThat(kept.command(kept.variants().get(0), List.of(), "java", true, List.of(), "ws://h:1"))
                .doesNotContain(Gateways.ACCESS_LOG_OFF);
    }
}
