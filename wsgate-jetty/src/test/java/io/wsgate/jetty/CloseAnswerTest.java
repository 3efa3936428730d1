package io.wsgate.jetty;

import io.wsgate.api.ApiDefinition;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.wsgate.jetty.RawFrames.MASK;
import static io.wsgate.jetty.RawFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A close one side starts is answered to it with the other side's answer, code and reason, relayed back;
 * when the other side leaves without answering, with its own code and no reason, at once.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Mount.class)
class CloseAnswerTest extends GatewayTestBase {

    CloseAnswerTest(Mount mount) {
        super(mount);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theClientsCloseIsAnsweredWithTheBackendsAnswerCodeAndReason() throws Exception {
        CompletableFuture<RawFrames.Read> atBackend = new CompletableFuture<>();
        try (RawBackend raw = new RawBackend((key, in, out, s) -> {
            RawBackend.answer101(out, RawFrames.accept(key));
            atBackend.complete(RawFrames.readUntilClose(in));
            out.write(frame(0x88, RawFrames.close(4002, utf8("see you")), null));
            out.flush();
            assertThat(in.read()).as("the gateway closes once both closes crossed").isEqualTo(-1);
        })) {
            startGateway(ApiDefinition.builder("answer").backend(raw.url()).urlSuffix("/answer").build());
            RecordingClient c = RecordingClient.connect(client, gw("/answer"));
            c.session.close(1000, "bye", Callback.NOOP);

            CloseStatus answer = c.awaitClosed();
            assertThat(answer.getCode()).isEqualTo(4002);
            assertThat(answer.getReason()).isEqualTo("see you");
            RawFrames.Read relayed = atBackend.get(10, TimeUnit.SECONDS);
            assertThat(relayed.closeCode()).isEqualTo(1000);
            assertThat(new String(relayed.payload(), 2, relayed.payload().length - 2, StandardCharsets.UTF_8)).isEqualTo("bye");
            raw.done.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theBackendsCloseIsAnsweredWithTheClientsAnswerCodeAndReason() throws Exception {
        startGateway(api("echo", "/echo", "/backend").build());
        try (Socket s = upgradedRawClient("/echo")) {
            InputStream in = s.getInputStream();
            s.getOutputStream().write(frame(0x81, utf8("close:4001:backend done"), MASK));

            RawFrames.Read close = RawFrames.readUntilClose(in);
            assertThat(close.closeCode()).isEqualTo(4001);
            s.getOutputStream().write(frame(0x88, RawFrames.close(1000, utf8("client's answer")), MASK));
            assertThat(in.read()).isEqualTo(-1);
        }
        CloseStatus atBackend = backend.closes.poll(10, TimeUnit.SECONDS);
        assertThat(atBackend).isNotNull();
        assertThat(atBackend.getCode()).isEqualTo(1000);
        assertThat(atBackend.getReason()).isEqualTo("client's answer");
    }

    @Test
    void aBackendThatLeavesWithoutAnsweringHasTheClientAnsweredWithItsOwnCodeAndNoReason() throws Exception {
        try (RawBackend raw = new RawBackend((key, in, out, s) -> {
            RawBackend.answer101(out, RawFrames.accept(key));
            RawFrames.readUntilClose(in);
            // leaves without a close frame
        })) {
            startGateway(ApiDefinition.builder("leaving").backend(raw.url()).urlSuffix("/leaving").build());
            RecordingClient c = RecordingClient.connect(client, gw("/leaving"));
            c.session.close(4000, "bye", Callback.NOOP);

            CloseStatus answer = c.awaitClosed();
            assertThat(answer.getCode()).isEqualTo(4000);
            assertThat(answer.getReason()).isNull();
            Frame last = c.drain().stream().filter(f -> f.getOpCode() == OpCode.CLOSE).findFirst().orElseThrow();
            assertThat(last.getPayloadLength()).as("the code alone").isEqualTo(2);
            raw.done.get(10, TimeUnit.SECONDS);
        }
    }
}
