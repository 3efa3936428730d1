package io.wsgate.jetty;

import io.wsgate.core.GatewayConfig;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** WebSocket over HTTP/2 (RFC 8441) from the client to the gateway; HTTP/1.1 to the backend. */
class Http2Test extends GatewayTestBase {

    @Test
    void aClientOnHttp2ReachesAnHttp11BackendThroughTheGateway() throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("gateway");
        gatewayServer = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        HTTP2CServerConnectionFactory h2c = new HTTP2CServerConnectionFactory(http);
        h2c.setConnectProtocolEnabled(true);
        ServerConnector connector = new ServerConnector(gatewayServer, 1, 1, new HttpConnectionFactory(http), h2c);
        connector.setHost("127.0.0.1");
        gatewayServer.addConnector(connector);
        gateway = WsGateHandler.builder(GatewayConfig.builder().api(api("echo", "/echo", "/backend").build()).build()).build();
        gatewayServer.setHandler(gateway);
        gatewayServer.start();

        HttpClient h2Http = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client()));
        WebSocketCoreClient h2 = new WebSocketCoreClient(h2Http, null);
        h2.start();
        try {
            RecordingClient c = RecordingClient.connect(h2, gw("/echo"));
            c.sendText("over h2");
            assertThat(TestBackend.text(c.nextData())).isEqualTo("over h2");
            // larger than an HTTP/2 frame (16 KiB) and the codec's read buffer: it arrives in many reads
            String large = "h2".repeat(60_000);
            c.sendText(large);
            assertThat(TestBackend.text(c.nextData())).isEqualTo(large);
            assertThat(gateway.gateway().pairs()).singleElement()
                    .satisfies(p -> assertThat(p.request().method()).isEqualTo("GET"));
            c.session.close(1000, "bye", Callback.NOOP);
            assertThat(c.awaitClosed().getCode()).isEqualTo(1000);
            assertThat(backend.closes.poll(10, java.util.concurrent.TimeUnit.SECONDS).getCode()).isEqualTo(1000);
        } finally {
            h2.stop();
        }
    }
}
