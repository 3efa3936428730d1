package io.wsgate.jetty.internal.backend;

import io.wsgate.api.Headers;
import io.wsgate.core.transport.BackendFailure;
import io.wsgate.core.transport.HandshakeRules;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The backend's answer judged from its status and headers alone, without a socket. */
class BackendResponseCheckTest {

    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    /** RFC 6455 §1.3's example answer to {@link #KEY}. */
    private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    private static BackendResponseCheck.Verdict check(int status, List<String> offered, String... headers) {
        return BackendResponseCheck.check(status, Headers.of(headers), KEY, offered);
    }

    private static String invalidReason(BackendResponseCheck.Verdict v) {
        assertThat(v).isInstanceOf(BackendResponseCheck.Failed.class);
        BackendFailure f = ((BackendResponseCheck.Failed) v).failure();
        assertThat(f).isInstanceOf(BackendFailure.InvalidHandshake.class);
        return ((BackendFailure.InvalidHandshake) f).reason();
    }

    @Test
    void theAcceptIsTheOneRfc6455Gives() {
        assertThat(HandshakeRules.acceptFor(KEY)).isEqualTo(ACCEPT);
    }

    @Test
    void aValid101IsAcceptedWithTheSubprotocolTheBackendChose() {
        assertThat(check(101, List.of("chat", "superchat"), "Upgrade", "WebSocket", "Connection", "keep-alive, upgrade",
                "Sec-WebSocket-Accept", ACCEPT, "Sec-WebSocket-Protocol", "superchat"))
                .isEqualTo(new BackendResponseCheck.Accepted("superchat"));
        assertThat(check(101, List.of(), "Upgrade", "websocket", "Connection", "Upgrade", "Sec-WebSocket-Accept", ACCEPT))
                .isEqualTo(new BackendResponseCheck.Accepted(""));
    }

    @Test
    void anotherStatusIsARefusalThatKeepsTheHeadersForTheGatewayToFilter() {
        BackendResponseCheck.Verdict v = check(401, List.of(), "WWW-Authenticate", "Bearer", "Server", "internal-7");
        assertThat(v).isInstanceOf(BackendResponseCheck.Failed.class);
        BackendFailure.Refused refused = (BackendFailure.Refused) ((BackendResponseCheck.Failed) v).failure();
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.headers().first("WWW-Authenticate")).contains("Bearer");
    }

    @Test
    void every101ThatIsNoValidHandshakeSaysWhatIsWrong() {
        assertThat(invalidReason(check(101, List.of(), "Connection", "Upgrade", "Sec-WebSocket-Accept", ACCEPT)))
                .contains("no Upgrade: websocket");
        assertThat(invalidReason(check(101, List.of(), "Upgrade", "websocket", "Sec-WebSocket-Accept", ACCEPT)))
                .contains("no Connection: Upgrade");
        assertThat(invalidReason(check(101, List.of(), "Upgrade", "websocket", "Connection", "Upgrade",
                "Sec-WebSocket-Accept", "wrong="))).contains("does not match the key");
        assertThat(invalidReason(check(101, List.of(), "Upgrade", "websocket", "Connection", "Upgrade",
                "Sec-WebSocket-Accept", ACCEPT, "Sec-WebSocket-Accept", ACCEPT))).contains("does not match the key");
        assertThat(invalidReason(check(101, List.of("chat"), "Upgrade", "websocket", "Connection", "Upgrade",
                "Sec-WebSocket-Accept", ACCEPT, "Sec-WebSocket-Protocol", "other"))).contains("never offered: other");
        assertThat(invalidReason(check(101, List.of("a", "b"), "Upgrade", "websocket", "Connection", "Upgrade",
                "Sec-WebSocket-Accept", ACCEPT, "Sec-WebSocket-Protocol", "a", "Sec-WebSocket-Protocol", "b")))
                .contains("never offered");
        assertThat(invalidReason(check(101, List.of(), "Upgrade", "websocket", "Connection", "Upgrade",
                "Sec-WebSocket-Accept", ACCEPT, "Sec-WebSocket-Extensions", "permessage-deflate")))
                .contains("extension the gateway never offered: permessage-deflate");
    }
}
