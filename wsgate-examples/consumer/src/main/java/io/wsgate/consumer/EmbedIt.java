package io.wsgate.consumer;

import io.wsgate.api.ApiDefinition;
import io.wsgate.api.HandshakePolicy;
import io.wsgate.core.GatewayConfig;
import io.wsgate.core.policy.jwt.JwtAlgorithm;
import io.wsgate.core.policy.jwt.JwtKey;
import io.wsgate.core.policy.jwt.JwtValidation;
import io.wsgate.core.policy.jwt.TokenSource;
import io.wsgate.jetty.WsGateHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The README's "Embed it" code, compiled against the published artifacts: a Jetty server whose handler is
 * the gateway, with one API behind a JWT policy. {@code ReadmeTest} checks that the README shows these
 * imports and these lines.
 */
public final class EmbedIt {

    private EmbedIt() {
    }

    /**
     * @param port      the port, e.g. 8080; 0 for any free one
     * @param backend   the chat backend's WebSocket URL, e.g. {@code ws://chat.internal:9000/ws}
     * @param jwtSecret the HS256 secret tokens are signed with, e.g. {@code System.getenv("JWT_SECRET")}
     * @return the started server
     * @throws Exception when it cannot start
     */
    public static Server start(int port, String backend, String jwtSecret) throws Exception {
        HandshakePolicy jwt = JwtValidation.builder()
                .key(JwtKey.hmac(JwtAlgorithm.HS256, jwtSecret))           // e.g. System.getenv("JWT_SECRET")
                .issuers("https://login.example.com/")
                .tokenFrom(TokenSource.authorizationHeader(), TokenSource.subprotocol("bearer."))
                .build();

        GatewayConfig config = GatewayConfig.builder()
                .api(ApiDefinition.builder("chat")
                        .backend(backend)                          // e.g. ws://chat.internal:9000/ws (or wss://)
                        .urlSuffix("/chat")                        // ws://gateway/chat/room1 -> ws://chat.internal:9000/ws/room1
                        .onHandshake(jwt)
                        .build())
                .build();

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server, 0, -1); // no acceptor thread: the selector accepts
        connector.setPort(port);                                   // e.g. 8080
        connector.setAcceptQueueSize(4096);                        // listen backlog: the JDK's 50 overflows when clients reconnect at once
        server.addConnector(connector);
        server.setHandler(WsGateHandler.builder(config).build());  // a Handler.Wrapper: .next(yourHandler) for the rest
        server.start();
        return server;
    }
}
