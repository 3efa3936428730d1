package io.wsgate.core.internal.handshake;

import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.error.GatewayError;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UpgradeCheckTest {

    private static HandshakeRequest.Builder upgrade() {
        return HandshakeRequest.builder().path("/echo")
                .header("Upgrade", "websocket").header("Connection", "keep-alive, Upgrade")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
    }

    @Test
    void acceptsAWellFormedUpgrade() {
        assertThat(UpgradeCheck.check(upgrade().build())).isEmpty();
    }

    @Test
    void refusesAnHttp10UpgradeWith400AndAcceptsRfc8441sHttp2() {
        assertThat(UpgradeCheck.check(upgrade().httpVersion("HTTP/1.0").build())).contains(GatewayError.BAD_HANDSHAKE);
        assertThat(UpgradeCheck.check(upgrade().httpVersion("HTTP/2.0").build()))
                .as("a plain HTTP/2 request is no WebSocket handshake: only an extended CONNECT, presented as HTTP/2")
                .contains(GatewayError.BAD_HANDSHAKE);
        assertThat(UpgradeCheck.check(upgrade().httpVersion(HandshakeRequest.HTTP_2).build())).isEmpty();
    }

    @Test
    void refusesAPlainRequestWith426() {
        assertThat(UpgradeCheck.check(HandshakeRequest.builder().build())).contains(GatewayError.UPGRADE_REQUIRED);
    }

    @Test
    void refusesANonGetUpgradeWith405() {
        assertThat(UpgradeCheck.check(upgrade().method("POST").build())).contains(GatewayError.METHOD_NOT_ALLOWED);
    }

    @Test
    void refusesAnUpgradeWithoutConnectionUpgrade() {
        HandshakeRequest r = HandshakeRequest.builder().header("Upgrade", "websocket").header("Connection", "close")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").build();
        assertThat(UpgradeCheck.check(r)).contains(GatewayError.BAD_HANDSHAKE);
    }

    @Test
    void refusesAnotherVersionWith426() {
        HandshakeRequest r = HandshakeRequest.builder().header("Upgrade", "websocket").header("Connection", "Upgrade")
                .header("Sec-WebSocket-Version", "8").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").build();
        assertThat(UpgradeCheck.check(r)).contains(GatewayError.UNSUPPORTED_WEBSOCKET_VERSION);
    }

    @Test
    void refusesAMissingOrMalformedKeyWith400() {
        HandshakeRequest.Builder noKey = HandshakeRequest.builder().header("Upgrade", "websocket")
                .header("Connection", "Upgrade").header("Sec-WebSocket-Version", "13");
        assertThat(UpgradeCheck.check(noKey.build())).contains(GatewayError.BAD_HANDSHAKE);
        assertThat(io.wsgate.core.transport.HandshakeRules.isValidKey("not base64 at all!!!!!!!")).isFalse();
        assertThat(io.wsgate.core.transport.HandshakeRules.isValidKey("AAAA")).isFalse();
        assertThat(io.wsgate.core.transport.HandshakeRules.isValidKey("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==")).isFalse();
        assertThat(UpgradeCheck.check(upgrade().header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").build()))
                .as("two keys").contains(GatewayError.BAD_HANDSHAKE);
    }
}
