package io.wsgate.jetty;

import io.wsgate.api.ApiDefinition;
import io.wsgate.jetty.internal.relay.RelayConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.wsgate.jetty.RawFrames.MASK;
import static io.wsgate.jetty.RawFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's own frame codec on both connections of a pair: frames however they are cut up by
 * TCP, sent right behind a handshake, or many in one segment, arrive whole and in order; frames to a
 * backend are masked with a fresh key each.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Mount.class)
class RelayConnectionTest extends GatewayTestBase {

    RelayConnectionTest(Mount mount) {
        super(mount);
    }

    @Test
    void bothSidesOfAPairRunOnTheGatewaysOwnConnection() throws Exception {
        List<Connection> clientSide = new CopyOnWriteArrayList<>();
        List<Connection> backendSide = new CopyOnWriteArrayList<>();
        org.eclipse.jetty.io.ClientConnector backends = new org.eclipse.jetty.io.ClientConnector();
        backends.addEventListener(opened(backendSide));
        backends.start();
        startGateway(200, b -> b.backendClient(BackendClientOptions.builder().connector(backends).build()),
                api("echo", "/echo", "/backend").build());
        gatewayServer.getConnectors()[0].addEventListener(opened(clientSide));

        RecordingClient c = RecordingClient.connect(client, gw("/echo"));
        c.sendText("over the gateway's codec");

        assertThat(TestBackend.text(c.nextData())).isEqualTo("over the gateway's codec");
        assertThat(clientSide).hasAtLeastOneElementOfType(RelayConnection.class);
        assertThat(backendSide).hasAtLeastOneElementOfType(RelayConnection.class);
        c.session.close(1000, "done", org.eclipse.jetty.util.Callback.NOOP);
        assertThat(c.awaitClosed().getCode()).isEqualTo(1000);
        backends.stop();
    }

    @Test
    void framesSentInTheSameSegmentAsTheUpgradeRequestAreRelayed() throws Exception {
        startGateway(api("echo", "/echo", "/backend").build());
        try (Socket s = rawClient()) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(upgradeRequest("/echo").getBytes(StandardCharsets.ISO_8859_1));
            all.writeBytes(frame(0x81, utf8("first"), MASK));
            all.writeBytes(frame(0x81, utf8("second"), MASK));
            s.getOutputStream().write(all.toByteArray());
            InputStream in = s.getInputStream();

            assertThat(readResponse(in).status()).isEqualTo(101);
            assertThat(text(RawFrames.read(in))).isEqualTo("first");
            assertThat(text(RawFrames.read(in))).isEqualTo("second");
            closeCleanly(s);
        }
    }

    @Test
    void manyFramesInOneSegmentAreRelayedInOrder() throws Exception {
        startGateway(api("echo", "/echo", "/backend").build());
        try (Socket s = upgradedRawClient("/echo")) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int i = 0; i < 200; i++) {
                all.writeBytes(frame(0x81, utf8("message " + i), MASK));
            }
            s.getOutputStream().write(all.toByteArray());
            InputStream in = s.getInputStream();

            for (int i = 0; i < 200; i++) {
                assertThat(text(RawFrames.read(in))).isEqualTo("message " + i);
            }
            closeCleanly(s);
        }
    }

    @Test
    void framesCutIntoPiecesByTcpArriveWhole() throws Exception {
        startGateway(api("echo", "/echo", "/backend").build());
        try (Socket s = upgradedRawClient("/echo")) {
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            // a frame sent a byte at a time, header included
            byte[] small = frame(0x82, pattern(300), new byte[]{9, 8, 7, 6});
            for (byte b : small) {
                out.write(b);
                out.flush();
            }
            RawFrames.Read echoed = RawFrames.read(in);
            assertThat(echoed.opcode()).isEqualTo(OpCode.BINARY);
            assertThat(echoed.payload()).isEqualTo(pattern(300));

            // larger than the gateway's read buffer, in uneven pieces
            byte[] large = pattern(100_000);
            byte[] wire = frame127(0x82, large, new byte[]{(byte) 0xA1, 0x52, (byte) 0xC3, 0x04});
            for (int at = 0; at < wire.length; ) {
                int n = Math.min(wire.length - at, 1 + (at * 7919) % 9000);
                out.write(wire, at, n);
                out.flush();
                at += n;
            }
            echoed = RawFrames.read(in);
            assertThat(echoed.payload()).isEqualTo(large);
            closeCleanly(s);
        }
    }

    @Test
    void aBackendFrameInTheSameSegmentAsItsAnswerIsRelayedAndEveryFrameToTheBackendHasItsOwnMask() throws Exception {
        List<byte[]> keys = new CopyOnWriteArrayList<>();
        List<String> seen = new CopyOnWriteArrayList<>();
        try (RawBackend raw = new RawBackend((key, in, out, s) -> {
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            answer.writeBytes(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + RawFrames.accept(key) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            answer.writeBytes(frame(0x81, utf8("hello from the backend"), null));
            out.write(answer.toByteArray());
            out.flush();
            for (int i = 0; i < 3; i++) {
                int b0 = in.read();
                int b1 = in.read();
                assertThat(b1 & 0x80).as("mask bit of frame %d", i).isEqualTo(0x80);
                byte[] mask = in.readNBytes(4);
                byte[] payload = in.readNBytes(b1 & 0x7F);
                for (int j = 0; j < payload.length; j++) {
                    payload[j] ^= mask[j % 4];
                }
                keys.add(mask);
                seen.add((b0 & 0x0F) + ":" + new String(payload, StandardCharsets.UTF_8));
            }
            RawFrames.Read close = RawFrames.readUntilClose(in);
            out.write(frame(0x88, RawFrames.close(close.closeCode(), new byte[0]), null));
            out.flush();
        })) {
            startGateway(ApiDefinition.builder("raw").backend(raw.url()).urlSuffix("/raw").build());
            RecordingClient c = RecordingClient.connect(client, gw("/raw"));
            assertThat(TestBackend.text(c.nextData())).isEqualTo("hello from the backend");
            c.sendText("one");
            c.sendText("two");
            c.send(OpCode.BINARY, true, ByteBuffer.wrap(utf8("three")));
            c.session.close(1000, "done", org.eclipse.jetty.util.Callback.NOOP);
            assertThat(c.awaitClosed().getCode()).isEqualTo(1000);
            raw.done.get();
        }
        assertThat(seen).containsExactly("1:one", "1:two", "2:three");
        Set<String> distinct = new HashSet<>();
        keys.forEach(k -> distinct.add(java.util.Arrays.toString(k)));
        assertThat(distinct).hasSize(3);
    }

    @Test
    void aBackendFrameCutIntoSingleBytesArrivesWhole() throws Exception {
        try (RawBackend raw = new RawBackend((key, in, out, s) -> {
            RawBackend.answer101(out, RawFrames.accept(key));
            s.setTcpNoDelay(true);
            for (byte b : frame(0x82, pattern(1000), null)) {
                out.write(b);
                out.flush();
            }
            RawFrames.Read close = RawFrames.readUntilClose(in);
            out.write(frame(0x88, RawFrames.close(close.closeCode(), new byte[0]), null));
            out.flush();
        })) {
            startGateway(ApiDefinition.builder("raw").backend(raw.url()).urlSuffix("/raw").build());
            RecordingClient c = RecordingClient.connect(client, gw("/raw"));
            Frame f = c.nextData();
            assertThat(f.getOpCode()).isEqualTo(OpCode.BINARY);
            byte[] got = new byte[f.getPayload().remaining()];
            f.getPayload().get(got);
            assertThat(got).isEqualTo(pattern(1000));
            c.session.close(1000, "done", org.eclipse.jetty.util.Callback.NOOP);
            assertThat(c.awaitClosed().getCode()).isEqualTo(1000);
            raw.done.get();
        }
    }

    private Socket rawClient() throws Exception {
        Socket s = new Socket("127.0.0.1", gatewayPort());
        s.setSoTimeout(10_000);
        return s;
    }

    /** Sends a close, expects the answer and then the end of the connection. */
    private static void closeCleanly(Socket s) throws Exception {
        s.getOutputStream().write(frame(0x88, RawFrames.close(1000, utf8("bye")), MASK));
        InputStream in = s.getInputStream();
        assertThat(RawFrames.readUntilClose(in).closeCode()).isEqualTo(1000);
        assertThat(in.read()).isEqualTo(-1);
    }

    /** A masked frame with a 64-bit length. */
    private static byte[] frame127(int firstByte, byte[] payload, byte[] mask) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        out.write(0x80 | 127);
        long len = payload.length;
        for (int i = 7; i >= 0; i--) {
            out.write((int) (len >>> (8 * i)) & 0xFF);
        }
        out.writeBytes(mask);
        byte[] masked = payload.clone();
        for (int i = 0; i < masked.length; i++) {
            masked[i] ^= mask[i % 4];
        }
        out.writeBytes(masked);
        return out.toByteArray();
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + (i >> 8));
        }
        return b;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(RawFrames.Read r) {
        return new String(r.payload(), StandardCharsets.UTF_8);
    }

    private static Connection.Listener opened(List<Connection> into) {
        return new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
                into.add(connection);
            }
        };
    }
}
