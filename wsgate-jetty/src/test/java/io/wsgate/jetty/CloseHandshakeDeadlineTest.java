package io.wsgate.jetty;

import io.wsgate.api.ApiLimits;
import io.wsgate.core.GatewayConfig;
import io.wsgate.testing.ManualScheduler;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static io.wsgate.jetty.RawFrames.MASK;
import static io.wsgate.jetty.RawFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * After the gateway sends a close frame it waits for the peer's answer, reading and dropping what
 * the peer still sends, but only for a bounded time: a peer that neither answers nor leaves (silent,
 * or chatty) is aborted 5 s after the close, and its pair is forgotten; a client whose close waits
 * for the backend's answer gets its own code back then. Time is the test's.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Mount.class)
class CloseHandshakeDeadlineTest extends PolicyTestBase {

    private final ManualScheduler time = ManualScheduler.startingAt(Instant.now());

    CloseHandshakeDeadlineTest(Mount mount) {
        super(mount);
    }

    @AfterEach
    void noDeadlineOutlivesItsConnection() {
        if (gateway != null) {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(gateway.gateway().openPairs()).isZero();
                assertThat(time.pending()).isZero();
            });
        }
    }

    @Test
    void aClientThatKeepsSendingAfterTheGatewaysCloseIsAbortedAtTheDeadline() throws Exception {
        startGateway(GatewayConfig.builder().scheduler(time).clock(time.clock())
                .api(api("echo", "/echo", "/backend").limits(ApiLimits.ofDefaults().withMaxMessageSize(1_000)).build())
                .build());
        try (Socket s = upgradedRawClient("/echo")) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();

            // two frames within the frame limit, over maxMessageSize together: the relay's own close
            out.write(frame(0x02, new byte[600], MASK));
            out.write(frame(0x80, new byte[600], MASK));
            assertThat(RawFrames.readUntilClose(in).closeCode()).isEqualTo(1009);
            CloseStatus atBackend = backend.closes.poll(10, TimeUnit.SECONDS);
            assertThat(atBackend).isNotNull();
            assertThat(atBackend.getCode()).isEqualTo(1001);

            // The client never answers the close and keeps talking: each frame is read and dropped.
            for (int i = 0; i < 20; i++) {
                out.write(frame(0x82, ("still here " + i).getBytes(StandardCharsets.UTF_8), MASK));
                out.write(frame(0x89, new byte[0], MASK));
            }
            out.flush();
            assertThat(gateway.gateway().openPairs()).as("the client's connection is held until the deadline").isOne();
            await().atMost(Duration.ofSeconds(10)).until(() -> time.pending() == 1);

            time.advance(Duration.ofSeconds(4));
            assertThat(gateway.gateway().openPairs()).isOne();
            time.advance(Duration.ofSeconds(1));

            await().atMost(Duration.ofSeconds(10)).until(() -> gateway.gateway().openPairs() == 0);
            Throwable end = catchThrowable(() -> {
                while (in.read() >= 0) {
                    // the gateway sends nothing more: the stream ends (or is reset)
                }
            });
            assertThat(end).satisfiesAnyOf(e -> assertThat(e).isNull(), e -> assertThat(e).isInstanceOf(IOException.class));
        }
    }

    @Test
    void aBackendThatNeverAnswersTheRelayedCloseIsAbortedAtTheDeadline() throws Exception {
        try (RawBackend silent = new RawBackend((key, in, out, s) -> {
            RawBackend.answer101(out, RawFrames.accept(key));
            s.setSoTimeout(0);
            while (in.read() >= 0) {
                // reads everything, answers nothing, never closes
            }
        })) {
            startGateway(GatewayConfig.builder().scheduler(time).clock(time.clock())
                    .api(io.wsgate.api.ApiDefinition.builder("silent").backend(silent.url()).urlSuffix("/silent").build())
                    .build());
            RecordingClient c = RecordingClient.connect(client, gw("/silent"));
            c.session.close(1000, "bye", org.eclipse.jetty.util.Callback.NOOP);
            // one deadline on each side: the client's answer waits for the backend's
            await().atMost(Duration.ofSeconds(10)).until(() -> time.pending() == 2);
            assertThat(gateway.gateway().openPairs()).as("the backend's side waits for its answer").isOne();
            assertThat(silent.done).isNotDone();
            assertThat(c.closed).as("the client's answer waits for the backend's").isNotDone();

            time.advance(Duration.ofSeconds(5));

            CloseStatus answer = c.awaitClosed();
            assertThat(answer.getCode()).as("the client's own code, when no answer came").isEqualTo(1000);
            assertThat(answer.getReason()).as("and no reason").isNull();
            silent.done.get(10, TimeUnit.SECONDS); // the gateway dropped the backend connection: its stream ended
            await().atMost(Duration.ofSeconds(10)).until(() -> gateway.gateway().openPairs() == 0);
        }
    }
}
