package io.wsgate.bench.orchestrator;

import io.wsgate.bench.Args;
import io.wsgate.bench.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunOptionsTest {

    @TempDir
    Path dir;

    private RunOptions parse(String... args) {
        return RunOptions.from(Args.parse(args, RunOptions.FLAGS, RunOptions.VALUED));
    }

    @Test
    void runTakesVariantsAsStormDoes() throws Exception {
        Path jar = Files.writeString(dir.resolve("demo.jar"), "");

        RunOptions o = parse("--quick", "--wsgate-jar", jar.toString(), "--variant", "connector=--connector dedicated",
                "--variant", "x64=-Xmx64m");

        assertThat(o.gateways().variants()).extracting(Gateways.Variant::name).containsExactly("wsgate", "connector", "x64");
        assertThat(o.gateways().variants().get(1).demoArgs()).containsExactly("--connector", "dedicated");
        assertThat(o.gateways().variants().get(2).jvmArgs()).containsExactly("-Xmx64m");
        assertThat(o.jwtPath()).isEqualTo(JwtRoute.DEFAULT_PATH);
    }

    @Test
    void aVariantCannotTakeTheNameOfAnotherTarget() throws Exception {
        String jar = Files.writeString(dir.resolve("demo.jar"), "").toString();

        for (String name : new String[] {"direct", "nginx-default", "nginx-64k", "haproxy"}) {
            assertThatThrownBy(() -> parse("--wsgate-jar", jar, "--peer", "haproxy=ws://127.0.0.1:1/echo",
                    "--variant", name + "=-Xmx64m"))
                    .isInstanceOf(UsageException.class).hasMessageContaining("'" + name + "' is taken");
        }
    }

    @Test
    void variantsNeedTheJarEvenWithoutTheDefaultGateway() {
        assertThatThrownBy(() -> parse("--no-wsgate", "--wsgate-jar", dir.resolve("none.jar").toString(),
                "--variant", "x=-Xmx64m"))
                .isInstanceOf(UsageException.class).hasMessageContaining("no such file");
    }
}
