package io.wsgate.core.transport;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class LogSafeTest {

    @Test
    void aLoggedUriKeepsItsSchemeAuthorityAndPathButNeverItsQueryOrFragment() {
        URI uri = URI.create("wss://user@chat.example.com:8443/rooms/a%20b?access_token=secret&x=1#frag");

        assertThat(LogSafe.uri(uri)).isEqualTo("wss://user@chat.example.com:8443/rooms/a%20b");
    }

    @Test
    void aUriWithoutAPathIsLoggedWithoutOne() {
        assertThat(LogSafe.uri(URI.create("ws://chat:80?subscription-key=k"))).isEqualTo("ws://chat:80");
    }
}
