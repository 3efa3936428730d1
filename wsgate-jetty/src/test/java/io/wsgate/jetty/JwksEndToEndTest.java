package io.wsgate.jetty;

import com.auth0.jwt.algorithms.Algorithm;
import com.sun.net.httpserver.HttpServer;
import io.wsgate.core.GatewayConfig;
import io.wsgate.core.policy.jwt.JwksKeys;
import io.wsgate.core.policy.jwt.JwtValidation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** validate-jwt with keys from an issuer's JWKS URL (a local JDK HttpServer), over real handshakes. */
@ParameterizedClass(name = "{0}")
@EnumSource(Mount.class)
class JwksEndToEndTest extends PolicyTestBase {

    private static KeyPair issuerKey;
    private static KeyPair strangerKey;

    private HttpServer issuer;
    private final AtomicInteger fetches = new AtomicInteger();

    JwksEndToEndTest(Mount mount) {
        super(mount);
    }

    @BeforeAll
    static void generateKeys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        issuerKey = g.generateKeyPair();
        strangerKey = g.generateKeyPair();
    }

    @BeforeEach
    void startIssuerAndGateway() throws Exception {
        RSAPublicKey pub = (RSAPublicKey) issuerKey.getPublic();
        byte[] jwks = ("{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"k1\",\"n\":\""
                + b64(pub.getModulus()) + "\",\"e\":\"" + b64(pub.getPublicExponent()) + "\"}]}").getBytes(StandardCharsets.UTF_8);
        issuer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        issuer.createContext("/.well-known/jwks.json", exchange -> {
            fetches.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        issuer.start();
        URI url = URI.create("http://127.0.0.1:" + issuer.getAddress().getPort() + "/.well-known/jwks.json");
        JwtValidation jwt = JwtValidation.builder().jwks(JwksKeys.builder(url).build())
                .issuers("https://issuer.test/").audiences("chat").build();
        startGateway(GatewayConfig.builder().api(api("chat", "/chat", "/backend").onHandshake(jwt).build()).build());
    }

    @AfterEach
    void stopIssuer() {
        issuer.stop(0);
    }

    private static String b64(BigInteger n) {
        byte[] bytes = n.toByteArray();
        if (bytes[0] == 0 && bytes.length > 1) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Algorithm rs256(KeyPair pair) {
        return Algorithm.RSA256((RSAPublicKey) pair.getPublic(), (RSAPrivateKey) pair.getPrivate());
    }

    @Test
    void anRs256TokenWhoseKidIsInTheIssuersKeySetIsAdmitted() throws Exception {
        String token = token(rs256(issuerKey), b -> b.withKeyId("k1"));

        RecordingClient c = connect("/chat", Map.of("Authorization", "Bearer " + token));

        assertThat(seen().header("Authorization")).isEqualTo("Bearer " + token);
        assertThat(fetches.get()).as("the key set was fetched from the issuer").isPositive();
        echoAndClose(c);
    }

    @Test
    void aTokenWithAKidTheIssuerDoesNotPublishIsRefusedWith401() throws Exception {
        String token = token(rs256(strangerKey), b -> b.withKeyId("k9"));

        RawResponse r = raw(upgradeRequest("/chat", bearer(token)));

        assertRefused(r, 401, "UNAUTHORIZED");
        assertThat(r.header("WWW-Authenticate")).contains("invalid_token");
        assertThat(fetches.get()).as("the key set was asked for the unknown kid").isPositive();
    }
}
