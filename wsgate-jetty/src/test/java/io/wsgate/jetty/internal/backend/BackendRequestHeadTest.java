package io.wsgate.jetty.internal.backend;

import io.wsgate.api.BackendRequest;
import io.wsgate.api.Headers;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackendRequestHeadTest {

    private static String head(String uri, Headers headers, String... subprotocols) {
        return StandardCharsets.ISO_8859_1.decode(BackendRequestHead.of(
                new BackendRequest(URI.create(uri), headers, List.of(subprotocols)), "dGhlIHNhbXBsZSBub25jZQ==")).toString();
    }

    @Test
    void theHostNamesThePortOnlyWhenItIsNotTheSchemesDefault() {
        assertThat(head("ws://backend:80/x", Headers.empty())).startsWith("GET /x HTTP/1.1\r\nHost: backend\r\n");
        assertThat(head("wss://backend:443/x", Headers.empty())).startsWith("GET /x HTTP/1.1\r\nHost: backend\r\n");
        assertThat(head("ws://backend:8080", Headers.empty())).startsWith("GET / HTTP/1.1\r\nHost: backend:8080\r\n");
        assertThat(head("ws://[::1]:9000/a?b=c%20d", Headers.empty())).startsWith("GET /a?b=c%20d HTTP/1.1\r\nHost: [::1]:9000\r\n");
    }

    @Test
    void theHandshakesOwnHeadersAreWrittenOnceAndAPolicysCopiesOfThemAreNot() {
        String h = head("ws://b/", Headers.of("Host", "evil", "Upgrade", "h2c", "Connection", "close",
                "Sec-WebSocket-Key", "x", "Sec-WebSocket-Extensions", "permessage-deflate", "Transfer-Encoding", "chunked",
                "Authorization", "Bearer t", "X-Custom", "v\tw"), "chat", "superchat");
        assertThat(h).isEqualTo("GET / HTTP/1.1\r\nHost: b\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: chat, superchat\r\nAuthorization: Bearer t\r\nX-Custom: v\tw\r\n\r\n");
    }

    @Test
    void aHeaderHttpCannotCarryIsRefused() {
        // a name that is not a token and a value holding NUL are refused where Headers are built, before any head
        assertThatThrownBy(() -> Headers.of("Bad Name", "v"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a token");
        assertThatThrownBy(() -> Headers.of("X-Nul", "a\u0000b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NUL");
        assertThatThrownBy(() -> head("ws://b/", Headers.of("X-Wide", "\u20ac")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+20AC");
        assertThatThrownBy(() -> head("ws://b/", Headers.empty(), "chat\r\nX-Injected: 1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an HTTP token");
        assertThatThrownBy(() -> head("ws://b/", Headers.empty(), "two words"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an HTTP token");
        assertThatThrownBy(() -> head("https://b/", Headers.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not ws:// or wss://");
    }
}
