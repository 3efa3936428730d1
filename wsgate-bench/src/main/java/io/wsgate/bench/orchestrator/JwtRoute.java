package io.wsgate.bench.orchestrator;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway the benchmark runs and its JWT route: the generated gateway file, the driver's tokens, and
 * the check that the route refuses bad tokens before any load (a JWT mode that does not validate would
 * measure the wrong thing).
 */
final class JwtRoute {

    static final String ISSUER = "wsgate-bench";
    static final String AUDIENCE = "wsgate";
    static final String DEFAULT_SECRET = "wsgate-bench-secret-0123456789abcdef0123";
    static final String DEFAULT_PATH = "/echo-jwt";

    private JwtRoute() {
    }

    /**
     * @return an HS256 token for subject {@code bench}, valid for two hours
     */
    static String jwt(String secret, String issuer, String audience) {
        return JWT.create().withIssuer(issuer).withAudience(audience).withSubject("bench")
                .withExpiresAt(Instant.now().plus(2, ChronoUnit.HOURS))
                .sign(Algorithm.HMAC256(secret));
    }

    /**
     * The gateway the benchmark runs: {@code /echo} to the echo backend with no policy, and the same
     * backend on {@code jwtPath} behind a validate-jwt policy with the driver's HS256 secret, issuer
     * and audience. The secret goes in base64, so that no character of it needs YAML quoting.
     */
    static String gatewayFile(String backend, String jwtPath, String secret) {
        String secretBase64 = Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
        return """
                # Written by wsgate-bench run: the gateway it measures (docs/configuration.md).
                apis:
                  - name: echo
                    urlSuffix: /echo
                    backendUrl: "%1$s"
                  - name: echo-jwt
                    urlSuffix: "%2$s"
                    backendUrl: "%1$s"
                    onHandshake:
                      - validate-jwt:
                          keys:
                            - algorithm: HS256
                              secretBase64: "%3$s"
                          issuers: [%4$s]
                          audiences: [%5$s]
                          tokenFrom: [authorization-header]
                """.formatted(backend, jwtPath, secretBase64, ISSUER, AUDIENCE);
    }

    /**
     * Fails unless the JWT route refuses bad tokens with 401: none, a wrong signature, a wrong issuer,
     * a wrong audience. A raw HTTP/1.1 upgrade request, so that the status is read as sent.
     */
    static void verifyRefused(URI uri, String secret) throws IOException {
        Map<String, Optional<String>> bad = new LinkedHashMap<>();
        bad.put("no token", Optional.empty());
        bad.put("a token signed with another secret", Optional.of(jwt(secret + "-wrong", ISSUER, AUDIENCE)));
        bad.put("a token from another issuer", Optional.of(jwt(secret, "someone-else", AUDIENCE)));
        bad.put("a token for another audience", Optional.of(jwt(secret, ISSUER, "someone-else")));
        for (Map.Entry<String, Optional<String>> e : bad.entrySet()) {
            int status = upgradeStatus(uri, e.getValue());
            if (status != 401) {
                throw new IOException("wsgate does not validate tokens on " + uri + ": a handshake with " + e.getKey()
                        + " got " + status + " instead of 401; handshake-jwt would not measure JWT validation");
            }
        }
        int good = upgradeStatus(uri, Optional.of(jwt(secret, ISSUER, AUDIENCE)));
        if (good != 101) {
            throw new IOException("wsgate refuses the driver's valid token on " + uri + " with " + good + " instead of 101");
        }
    }

    private static int upgradeStatus(URI uri, Optional<String> token) throws IOException {
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(15_000);
            String request = "GET " + uri.getRawPath() + " HTTP/1.1\r\n"
                    + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + token.map(t -> "Authorization: Bearer " + t + "\r\n").orElse("")
                    + "\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            StringBuilder line = new StringBuilder();
            java.io.InputStream in = socket.getInputStream();
            for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
                line.append((char) b);
            }
            String[] parts = line.toString().trim().split(" ");
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IOException("no HTTP response from " + uri + " to an upgrade request: '" + line.toString().trim() + "'");
            }
            return Integer.parseInt(parts[1]);
        }
    }
}
