package io.wsgate.jetty;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass(name = "{0}")
@EnumSource(Mount.class)
class TlsTest extends GatewayTestBase {

    TlsTest(Mount mount) {
        super(mount);
    }

    private TestBackend tlsBackend(Tls tls) throws Exception {
        backend.close();
        backend = new TestBackend(tls.server());
        return backend;
    }

    private WebSocketCoreClient tlsClient(Tls trusted) throws Exception {
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(trusted.client());
        WebSocketCoreClient c = new WebSocketCoreClient(new HttpClient(
                new org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP(connector)), null);
        c.start();
        return c;
    }

    @Test
    void aWssClientReachesAWssBackendTrustedThroughTheConfiguredTrustStore() throws Exception {
        Tls front = Tls.selfSigned("localhost", "127.0.0.1");
        Tls back = Tls.selfSigned("localhost", "127.0.0.1");
        tlsBackend(back);
        gatewayTls = front.server();
        startGateway(200, b -> b.backendClient(BackendClientOptions.builder().trustStore(back.trustStore()).build()), api("echo", "/echo", "/backend").build());
        WebSocketCoreClient wssClient = tlsClient(front);
        try {
            RecordingClient c = RecordingClient.connect(wssClient, gw("/echo"));
            c.sendText("over tls");

            assertThat(TestBackend.text(c.nextData())).isEqualTo("over tls");
            TestBackend.Seen seen = backend.handshakes.poll(10, TimeUnit.SECONDS);
            assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("https");
            assertThat(gateway.gateway().pairs()).singleElement()
                    .satisfies(p -> assertThat(p.request().secure()).isTrue());
            c.session.close(1000, "", Callback.NOOP);
            assertThat(c.awaitClosed().getCode()).isEqualTo(1000);
        } finally {
            wssClient.stop();
        }
    }

    @Test
    void aWssBackendWhoseCertificateIsNotTrustedGives502() throws Exception {
        tlsBackend(Tls.selfSigned("localhost", "127.0.0.1"));
        startGateway(api("echo", "/echo", "/backend").build());
        RawResponse r = raw(upgradeRequest("/echo"));

        assertThat(r.status()).isEqualTo(502);
        assertThat(r.body()).contains("BACKEND_UNAVAILABLE");
        assertThat(backend.handshakes).isEmpty();
    }

    @Test
    void aWssBackendWhoseCertificateNamesAnotherHostGives502UnlessVerificationIsOff() throws Exception {
        Tls other = Tls.selfSigned("other.example");
        tlsBackend(other);
        startGateway(api("echo", "/echo", "/backend").build());
        gatewayServer.stop();
        gatewayServer = null;
        gateway = null;

        startGateway(200, b -> b.backendClient(BackendClientOptions.builder().trustStore(other.trustStore()).build()), api("echo", "/echo", "/backend").build());
        assertThat(raw(upgradeRequest("/echo")).status()).isEqualTo(502);
        assertThat(backend.handshakes).isEmpty();
        gatewayServer.stop();

        startGateway(200, b -> b.backendClient(BackendClientOptions.builder().trustStore(other.trustStore()).hostnameVerification(false).build()),
                api("echo", "/echo", "/backend").build());
        RecordingClient c = RecordingClient.connect(client, gw("/echo"));
        c.sendText("unverified name");
        assertThat(TestBackend.text(c.nextData())).isEqualTo("unverified name");
        c.session.close(1000, "", Callback.NOOP);
        c.awaitClosed();
    }
}
