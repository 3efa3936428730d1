package io.wsgate.jetty;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.WebSocketConnection;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay's reads run on the selector threads of both sides: the gateway installs its own
 * connection on the client side and its own end point on the backend side. If a Jetty upgrade
 * changed how the handshaker or the client builds them, the relay would silently fall back to a
 * thread hand-off per frame; this test notices.
 */
class SelectorReadsTest extends GatewayTestBase {

    private static final String CLIENT_SIDE = "io.wsgate.jetty.internal.SelectorReads$ClientSideConnection";
    private static final String BACKEND_END_POINT = "io.wsgate.jetty.internal.SelectorReads$BackendEndPoint";

    @Test
    void bothSidesOfAPairReadOnTheSelectorAndStillRelay() throws Exception {
        startGateway(api("echo", "/echo", "/backend").build());
        List<Connection> clientSide = recorder();
        List<Connection> backendSide = recorder();
        gatewayServer.getConnectors()[0].addEventListener(listener(clientSide));
        gateway.webSocketClient().addEventListener(listener(backendSide));

        RecordingClient c = RecordingClient.connect(client, gw("/echo"));
        c.send(OpCode.TEXT, true, ByteBuffer.wrap("ping over the selector".getBytes(StandardCharsets.UTF_8)));

        assertThat(TestBackend.text(c.nextData())).isEqualTo("ping over the selector");
        assertThat(clientSide).filteredOn(WebSocketConnection.class::isInstance)
                .singleElement().extracting(x -> x.getClass().getName()).isEqualTo(CLIENT_SIDE);
        assertThat(backendSide).filteredOn(WebSocketConnection.class::isInstance)
                .singleElement().extracting(x -> x.getEndPoint().getClass().getName()).isEqualTo(BACKEND_END_POINT);
        c.session.close(1000, "done", org.eclipse.jetty.util.Callback.NOOP);
        assertThat(c.awaitClosed().getCode()).isEqualTo(1000);
    }

    private static List<Connection> recorder() {
        return new CopyOnWriteArrayList<>();
    }

    private static Connection.Listener listener(List<Connection> opened) {
        return new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
                opened.add(connection);
            }
        };
    }
}
