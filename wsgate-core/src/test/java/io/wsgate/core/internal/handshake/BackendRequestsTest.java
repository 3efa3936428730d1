package io.wsgate.core.internal.handshake;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.BackendRequest;
import io.wsgate.api.HandshakeRequest;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class BackendRequestsTest {

    private final ApiDefinition api = ApiDefinition.builder("echo").backend("ws://backend:9000/ws").urlSuffix("/echo").build();

    private static HandshakeRequest.Builder request() {
        return HandshakeRequest.builder().path("/echo/room").query("a=1&b=%20x")
                .clientAddress(new InetSocketAddress("10.1.2.3", 4000))
                .header("Host", "gw.example.com").header("Upgrade", "websocket").header("Connection", "Upgrade, X-Hop")
                .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").header("Sec-WebSocket-Version", "13")
                .header("Sec-WebSocket-Extensions", "permessage-deflate").header("Sec-WebSocket-Protocol", "chat")
                .header("Cookie", "s=1").header("Authorization", "Bearer t").header("X-Custom", "v")
                .header("Keep-Alive", "timeout=5").header("TE", "trailers").header("Proxy-Authorization", "Basic x")
                .header("X-Hop", "named by Connection").subprotocols("chat", "superchat");
    }

    @Test
    void appendsTheRestOfThePathAndTheQueryToTheBackendUrl() {
        BackendRequest r = BackendRequests.initial(api, request().build(), "/room");
        assertThat(r.uri()).isEqualTo(URI.create("ws://backend:9000/ws/room?a=1&b=%20x"));
        assertThat(r.subprotocols()).containsExactly("chat", "superchat");
    }

    @Test
    void joinsPathsWithoutDoubleSlashesAndKeepsTheBackendsOwnQuery() {
        assertThat(BackendRequests.backendUri(URI.create("wss://b/base/"), "/x", "")).isEqualTo(URI.create("wss://b/base/x"));
        assertThat(BackendRequests.backendUri(URI.create("ws://b"), "", "")).isEqualTo(URI.create("ws://b/"));
        assertThat(BackendRequests.backendUri(URI.create("ws://b/p?k=v"), "", "q=1")).isEqualTo(URI.create("ws://b/p?k=v&q=1"));
    }

    @Test
    void keepsEndToEndHeadersAndDropsHopByHopOnes() {
        BackendRequest r = BackendRequests.initial(api, request().build(), "/room");
        assertThat(r.headers().first("Cookie")).contains("s=1");
        assertThat(r.headers().first("Authorization")).contains("Bearer t");
        assertThat(r.headers().first("X-Custom")).contains("v");
        assertThat(r.headers().names()).doesNotContain("host", "upgrade", "connection", "sec-websocket-key",
                "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-protocol", "keep-alive", "te",
                "proxy-authorization", "x-hop");
    }

    @Test
    void addsForwardingHeaders() {
        HandshakeRequest in = request().header("X-Forwarded-For", "192.0.2.1").secure(true).build();
        BackendRequest r = BackendRequests.initial(api, in, "");
        assertThat(r.headers().all("X-Forwarded-For")).containsExactly("192.0.2.1, 10.1.2.3");
        assertThat(r.headers().first("X-Forwarded-Proto")).contains("https");
        assertThat(r.headers().first("X-Forwarded-Host")).contains("gw.example.com");
        assertThat(r.headers().first("Forwarded")).contains("for=10.1.2.3;host=gw.example.com;proto=https");
    }

    @Test
    void quotesIpv6InForwarded() {
        HandshakeRequest in = request().clientAddress(new InetSocketAddress("::1", 5)).build();
        assertThat(BackendRequests.initial(api, in, "").headers().first("Forwarded").orElseThrow())
                .startsWith("for=\"[0:0:0:0:0:0:0:1]\"");
    }
}
