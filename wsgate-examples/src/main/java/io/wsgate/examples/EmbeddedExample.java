package io.wsgate.examples;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.core.GatewayConfig;
import io.wsgate.core.policy.jwt.JwtAlgorithm;
import io.wsgate.core.policy.jwt.JwtKey;
import io.wsgate.core.policy.jwt.JwtValidation;
import io.wsgate.core.policy.jwt.TokenSource;
import io.wsgate.jetty.WsGateHandler;
import org.eclipse.jetty.server.Server;

/**
 * The README's embedded example, compiled and tested: a Jetty server whose handler is the
 * gateway, with one API behind a JWT policy.
 */
public final class EmbeddedExample {

    private EmbeddedExample() {
    }

    /**
     * @param port       the port, 0 for any
     * @param backend    the chat backend's WebSocket URL
     * @param jwtSecret  the HS256 secret tokens are signed with (at least 32 bytes)
     * @return the started server
     * @throws Exception when it cannot start
     */
    public static Server start(int port, String backend, String jwtSecret) throws Exception {
        HandshakePolicy jwt = JwtValidation.builder()
                .key(JwtKey.hmac(JwtAlgorithm.HS256, jwtSecret))
                .issuers("https://login.example.com/")
                .tokenFrom(TokenSource.authorizationHeader(), TokenSource.subprotocol("bearer."))
                .build();

        GatewayConfig config = GatewayConfig.builder()
                .api(ApiDefinition.builder("chat")
                        .backend(backend)
                        .urlSuffix("/chat")
                        .onHandshake(jwt)
                        .build())
                .build();

        Server server = new Server(port);
        server.setHandler(WsGateHandler.builder(config).build());
        server.start();
        return server;
    }
}
