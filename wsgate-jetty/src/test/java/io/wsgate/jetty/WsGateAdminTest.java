package io.wsgate.jetty;

import io.wsgate.core.DrainOptions;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin handler on a port of its own, over a gateway with real pairs. */
class WsGateAdminTest extends GatewayTestBase {

    private Server adminServer;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<RecordingClient> clients = new ArrayList<>();

    private void startAdmin(Consumer<WsGateAdmin.Builder> customize) throws Exception {
        adminServer = new Server();
        ServerConnector connector = new ServerConnector(adminServer, 1, 1);
        connector.setHost("127.0.0.1");
        adminServer.addConnector(connector);
        WsGateAdmin.Builder b = WsGateAdmin.builder(gateway.gateway());
        customize.accept(b);
        adminServer.setHandler(b.build());
        adminServer.start();
    }

    @AfterEach
    void stopAdmin() throws Exception {
        for (RecordingClient c : clients) {
            c.session.close(1000, "", Callback.NOOP);
        }
        if (adminServer != null) {
            adminServer.stop();
        }
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        int port = ((ServerConnector) adminServer.getConnectors()[0]).getLocalPort();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private RecordingClient open(String pathAndQuery) throws Exception {
        RecordingClient c = RecordingClient.connect(client, gw(pathAndQuery));
        clients.add(c);
        return c;
    }

    @Test
    void healthIsUpWithTheCountsAndNotCached() throws Exception {
        startGateway(api("echo", "/echo", "/backend").build());
        startAdmin(b -> { });
        open("/echo");

        HttpResponse<String> health = send("GET", "/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(health.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(health.body()).isEqualTo("{\"status\":\"UP\",\"pairs\":1,\"pendingHandshakes\":0}");
    }

    @Test
    void healthIsDrainingWith503OnceTheGatewayStopsAdmitting() throws Exception {
        startGateway(api("echo", "/echo", "/backend").build());
        startAdmin(b -> { });
        gateway.gateway().drain(DrainOptions.ofDefaults());

        HttpResponse<String> health = send("GET", "/health");

        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).startsWith("{\"status\":\"DRAINING\"");
    }

    @Test
    void pairsListsEveryLivePairWithItsCountsAndNeverTheQueryString() throws Exception {
        startGateway(api("echo", "/echo", "/backend").build());
        startAdmin(b -> { });
        RecordingClient c = open("/echo?access_token=s3cr3t-token");
        c.sendText("hello");
        assertThat(TestBackend.text(c.nextData())).isEqualTo("hello");

        HttpResponse<String> pairs = send("GET", "/pairs");

        assertThat(pairs.statusCode()).isEqualTo(200);
        String id = gateway.gateway().pairs().iterator().next().id();
        assertThat(pairs.body())
                .startsWith("{\"total\":1,\"offset\":0,\"limit\":100,\"pairs\":[{\"id\":\"" + id + "\",\"api\":\"echo\",\"client\":\"127.0.0.1:")
                .contains("\"openedAt\":\"")
                .contains("\"inbound\":{\"messages\":1,\"bytes\":5},\"outbound\":{\"messages\":1,\"bytes\":5}")
                .doesNotContain("s3cr3t").doesNotContain("access_token").doesNotContain("backend");
    }

    @Test
    void pairsArePagedOldestFirstAndTheLimitIsCapped() throws Exception {
        startGateway(api("echo", "/echo", "/backend").build());
        startAdmin(b -> { });
        for (int i = 0; i < 3; i++) {
            open("/echo");
        }

        String second = send("GET", "/pairs?offset=1&limit=1").body();
        String beyond = send("GET", "/pairs?offset=5&limit=2").body();

        assertThat(second).startsWith("{\"total\":3,\"offset\":1,\"limit\":1,\"pairs\":[{\"id\":");
        assertThat(second.split("\"id\"", -1)).hasSize(2);
        assertThat(beyond).isEqualTo("{\"total\":3,\"offset\":5,\"limit\":2,\"pairs\":[]}");
        for (String bad : List.of("limit=0", "limit=1001", "offset=-1", "limit=x", "offset=99999999999")) {
            HttpResponse<String> refused = send("GET", "/pairs?" + bad);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(refused.body()).as(bad).contains("limit a number from 1 to 1000");
        }
    }

    @Test
    void metricsServeTheGivenTextOrAre404WithoutARegistry() throws Exception {
        startGateway(api("echo", "/echo", "/backend").build());
        startAdmin(b -> { });
        assertThat(send("GET", "/metrics").statusCode()).isEqualTo(404);
        adminServer.stop();

        startAdmin(b -> b.metrics(() -> "# TYPE wsgate_pairs_active gauge\nwsgate_pairs_active{api=\"echo\"} 0.0\n"));
        HttpResponse<String> metrics = send("GET", "/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValue(WsGateAdmin.PROMETHEUS_TEXT);
        assertThat(metrics.body()).contains("wsgate_pairs_active{api=\"echo\"} 0.0");
    }

    @Test
    void otherPathsAre404AndOtherMethods405WithAllow() throws Exception {
        startGateway(api("echo", "/echo", "/backend").build());
        startAdmin(b -> { });

        HttpResponse<String> unknown = send("GET", "/nope");
        HttpResponse<String> post = send("POST", "/health");
        HttpResponse<String> getReload = send("GET", "/reload");
        HttpResponse<String> noFile = send("POST", "/reload");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("GET /health, GET /metrics, GET /pairs and POST /reload");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
        assertThat(getReload.statusCode()).isEqualTo(405);
        assertThat(getReload.headers().firstValue("Allow")).hasValue("POST");
        assertThat(noFile.statusCode()).isEqualTo(404);
        assertThat(noFile.body()).contains("not built from a reloading file");
    }
}
