package io.wsgate.jetty;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.wsgate.api.ApiDefinition;
import io.wsgate.core.Gateway;
import io.wsgate.core.GatewayConfig;
import io.wsgate.core.policy.jwt.JwtAlgorithm;
import io.wsgate.core.policy.jwt.JwtKey;
import io.wsgate.core.policy.jwt.JwtValidation;
import io.wsgate.core.policy.jwt.TokenSource;
import io.wsgate.core.policy.network.CheckOrigin;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The console's page, API list and diagnose endpoint over HTTP (the browser tests are in wsgate-examples). */
class WsGateConsoleTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    private final HttpClient http = HttpClient.newHttpClient();
    private Server server;
    private Gateway gateway;
    private int port;

    @BeforeEach
    void start() throws Exception {
        JwtValidation jwt = JwtValidation.builder().key(JwtKey.hmac(JwtAlgorithm.HS256, SECRET)).name("validate-jwt")
                .tokenFrom(TokenSource.authorizationHeader(), TokenSource.queryParameter("access_token"),
                        TokenSource.subprotocol("bearer.", "wsgate.bearer")).build();
        gateway = Gateway.create(GatewayConfig.builder()
                .api(ApiDefinition.builder("chat").displayName("Chat").backend("ws://10.9.8.7:1234/hidden").urlSuffix("/chat")
                        .onHandshake(jwt).build())
                .api(ApiDefinition.builder("partner").backend("ws://10.9.8.7:1234/").urlSuffix("/partner")
                        .onHandshake(CheckOrigin.of("https://partner.example")).build())
                .build());
        server = new Server();
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new ContextHandler(WsGateConsole.builder(gateway).gatewayUri(URI.create("ws://127.0.0.1:1/gw"))
                .build(), "/console"));
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        assertThat(gateway.pendingHandshakes()).isZero();
        assertThat(gateway.openPairs()).isZero();
        assertThat(gateway.pairDeadlines()).isZero();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> diagnose(String form, boolean guard) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/console/diagnose"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", "http://127.0.0.1:" + port)
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (guard) {
            b.header("X-WsGate-Console", "1");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String token(Instant expiresAt) {
        return JWT.create().withSubject("alice").withExpiresAt(expiresAt).sign(Algorithm.HMAC256(SECRET));
    }

    @Test
    void servesThePageWithItsScriptAndStylesFromTheJarUnderAStrictPolicy() throws Exception {
        HttpResponse<String> page = get("/console/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString()
                .contains("default-src 'none'", "script-src 'self'", "connect-src 'self' ws: wss:");
        assertThat(page.body()).contains("<label for=\"api\">", "src=\"console.js\"", "id=\"diagnose\"");
        assertThat(get("/console/console.js").body()).contains("new WebSocket(");
        assertThat(get("/console/console.css").headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(get("/console/nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void listsTheApisWithWhereABrowserMayPutATokenButNeverTheBackend() throws Exception {
        HttpResponse<String> apis = get("/console/apis");
        assertThat(apis.statusCode()).isEqualTo(200);
        assertThat(apis.body())
                .contains("\"gatewayUrl\":\"ws://127.0.0.1:1/gw\"")
                .contains("{\"name\":\"chat\",\"displayName\":\"Chat\",\"urlSuffix\":\"/chat\",\"schemes\":[\"ws\",\"wss\"],"
                        + "\"token\":[{\"in\":\"query\",\"name\":\"access_token\"},"
                        + "{\"in\":\"subprotocol\",\"prefix\":\"bearer.\",\"marker\":\"wsgate.bearer\"}]}")
                .contains("\"name\":\"partner\"")
                .doesNotContain("10.9.8.7", "hidden", SECRET);
    }

    @Test
    void diagnosesAnExpiredTokenAsValidateJwtsRefusalWithTheReasonTheClientIsNotTold() throws Exception {
        String expired = token(Instant.now().minusSeconds(3600));
        HttpResponse<String> r = diagnose("path=" + enc("/chat/room") + "&query=" + enc("access_token=" + expired), true);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"stage\":\"POLICY\"", "\"admitted\":false", "\"policy\":\"validate-jwt\"",
                "\"status\":401", "\"code\":\"UNAUTHORIZED\"", "expired").doesNotContain(expired, "10.9.8.7");
    }

    @Test
    void diagnosesAGoodTokenInASubprotocolAsAdmittedWithTheMarkerAnswered() throws Exception {
        String good = token(Instant.now().plusSeconds(600));
        HttpResponse<String> r = diagnose("path=%2Fchat&subprotocol=wsgate.bearer&subprotocol=" + enc("bearer." + good), true);
        assertThat(r.body()).contains("\"stage\":\"ADMITTED\"", "\"status\":101", "\"subprotocol\":\"wsgate.bearer\"");
    }

    @Test
    void diagnosesTheBrowsersOwnOriginAgainstCheckOrigin() throws Exception {
        HttpResponse<String> r = diagnose("path=%2Fpartner", true);
        assertThat(r.body()).contains("\"stage\":\"POLICY\"", "\"status\":403", "\"code\":\"ORIGIN_FORBIDDEN\"");
        assertThat(diagnose("path=%2Fnowhere", true).body()).contains("\"stage\":\"ROUTE\"", "\"status\":404");
    }

    @Test
    void refusesADiagnoseWithoutTheConsolesHeaderABadPathOrAnotherMethod() throws Exception {
        HttpResponse<String> unguarded = diagnose("path=%2Fchat", false);
        assertThat(unguarded.statusCode()).isEqualTo(403);
        assertThat(unguarded.body()).contains("X-WsGate-Console");
        assertThat(unguarded.headers().firstValue("Connection")).as("its body unread, the connection ends").hasValue("close");
        HttpResponse<String> bad = diagnose("path=" + enc("chat?x=1"), true);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("path must start with '/'");
        HttpResponse<String> get = get("/console/diagnose");
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void aGatewayUriMustBeAWebSocketUriWithoutQuery() {
        assertThatThrownBy(() -> WsGateConsole.builder(gateway).gatewayUri(URI.create("http://127.0.0.1:1/")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'http://127.0.0.1:1/'");
    }
}
