package io.wsgate.jetty;

import io.wsgate.core.Gateway;
import io.wsgate.core.GatewayListener;
import io.wsgate.core.ReloadResult;
import io.wsgate.core.file.ReloadingGatewayFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway served from a gateway file in a temporary directory, reloaded while clients and a real backend talk
 * through it; every reload result the gateway's listeners hear is kept.
 */
abstract class ReloadTestBase extends PolicyTestBase {

    @TempDir
    Path dir;
    ReloadingGatewayFile file;
    final List<ReloadResult> heard = new CopyOnWriteArrayList<>();

    ReloadTestBase() {
    }

    ReloadTestBase(Mount mount) {
        super(mount);
    }

    @AfterEach
    void closeFile() {
        if (file != null) {
            file.close();
        }
    }

    Path path() {
        return dir.resolve("gateway.yaml");
    }

    /** Writes the file; {@code BACKEND} in it stands for the test backend's base URL. */
    void write(String yaml) throws IOException {
        Files.writeString(path(), yaml.replace("BACKEND", backend.url("")));
    }

    /** Serves the gateway a reloading file creates, as an application would. */
    void startGateway(ReloadingGatewayFile reloading) throws Exception {
        this.file = reloading;
        Gateway engine = reloading.createGateway(List.of(new GatewayListener() {
            @Override
            public void configReloaded(ReloadResult result) {
                heard.add(result);
            }
        }));
        startGateway(engine);
    }

    /** Writes the file and reloads it, which must apply. */
    void reloadTo(String yaml) throws IOException {
        write(yaml);
        ReloadResult r = file.reload();
        assertThat(r.outcome()).as(r.message()).isEqualTo(ReloadResult.Outcome.APPLIED);
    }
}
