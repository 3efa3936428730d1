package io.wsgate.jetty;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.ConnectionPair;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An API with several backends: the next one is tried, in the same handshake, when one is unreachable. */
@ParameterizedClass(name = "{0}")
@EnumSource(Mount.class)
class FailoverEndToEndTest extends GatewayTestBase {

    FailoverEndToEndTest(Mount mount) {
        super(mount);
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void echoThrough(RecordingClient c) throws Exception {
        c.sendText("hello");
        assertThat(TestBackend.text(c.nextData())).isEqualTo("hello");
        c.session.close(1000, "done", Callback.NOOP);
        assertThat(c.awaitClosed().getCode()).isEqualTo(1000);
    }

    @Test
    void aClosedFirstBackendFailsOverToTheSecondWithThePathAndQuery() throws Exception {
        String down = "ws://127.0.0.1:" + closedPort() + "/backend";
        startGateway(ApiDefinition.builder("pair").backends(down, backend.url("/backend")).urlSuffix("/pair").build());

        RecordingClient c = RecordingClient.connect(client, gw("/pair/room?q=1"));

        TestBackend.Seen seen = backend.handshakes.poll(10, TimeUnit.SECONDS);
        assertThat(seen.path()).isEqualTo("/backend/room");
        assertThat(seen.query()).isEqualTo("q=1");
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.gateway().openPairs() == 1);
        assertThat(gateway.gateway().pairs()).singleElement().extracting(ConnectionPair::backendUri)
                .as("the access log and the pair name the backend actually connected")
                .isEqualTo(URI.create(backend.url("/backend/room?q=1")));
        echoThrough(c);
    }

    @Test
    void aFirstBackendThatResetsTheConnectionWasTriedBeforeTheSecond() throws Exception {
        try (RawBackend resetting = new RawBackend((key, in, out, socket) -> socket.setSoLinger(true, 0))) {
            startGateway(ApiDefinition.builder("pair").backends(resetting.url(), backend.url("/backend")).urlSuffix("/pair").build());

            RecordingClient c = RecordingClient.connect(client, gw("/pair"));

            resetting.done.get(10, TimeUnit.SECONDS);
            assertThat(backend.handshakes.poll(10, TimeUnit.SECONDS)).isNotNull();
            echoThrough(c);
        }
    }

    @Test
    void everyBackendDownGives502WithTheLastFailuresCode() throws Exception {
        startGateway(
                ApiDefinition.builder("down").backends("ws://127.0.0.1:" + closedPort() + "/", "ws://127.0.0.1:" + closedPort() + "/")
                        .urlSuffix("/down").build(),
                ApiDefinition.builder("dns").backends("ws://127.0.0.1:" + closedPort() + "/", "ws://no-such-host.invalid/")
                        .urlSuffix("/dns").build());

        RawResponse down = raw(upgradeRequest("/down"));
        RawResponse dns = raw(upgradeRequest("/dns"));

        assertThat(down.status()).isEqualTo(502);
        assertThat(down.body()).contains("BACKEND_UNAVAILABLE").doesNotContain("127.0.0.1");
        assertThat(dns.status()).isEqualTo(502);
        assertThat(dns.body()).contains("BACKEND_DNS_FAILURE").doesNotContain("no-such-host");
    }

    @Test
    void anHttpRefusalFromTheFirstBackendIsTheAnswerWithNoFailover() throws Exception {
        startGateway(ApiDefinition.builder("refused").backends(backend.url("/status/503"), backend.url("/backend"))
                .urlSuffix("/refused").build());

        RawResponse r = raw(upgradeRequest("/refused"));

        assertThat(r.status()).isEqualTo(503);
        assertThat(backend.handshakes).as("the second backend was never asked").isEmpty();
        assertThat(backend.open.get()).isZero();
    }
}
