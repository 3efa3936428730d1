package io.wsgate.examples;

import io.wsgate.api.HandshakeRequest;
import io.wsgate.core.Gateway;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo on {@code wss://} (a PKCS12 key store made at run time, its password from an environment variable) in
 * headless Chromium, which accepts the test certificate ({@code --ignore-certificate-errors}, this class only).
 * A page served by the same TLS connector makes Chromium hold an HTTP/2 connection to the origin, which it then
 * uses for its WebSockets (RFC 8441) since the connector offers h2 with the extended CONNECT.
 */
class TlsBrowserTest {

    private static final String PASSWORD_ENV = "WSGATE_DEMO_TLS_PASSWORD";
    private static final String PASSWORD = "test-only-password";

    @TempDir
    static Path dir;
    private static BrowserDemo demo;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        browser = Chromium.start(true);
        Path keyStore = selfSigned(dir.resolve("demo.p12"));
        demo = BrowserDemo.start(dir, List.of("--tls-keystore", keyStore.toString(), "--tls-password-env", PASSWORD_ENV),
                name -> name.equals(PASSWORD_ENV) ? PASSWORD : null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (demo != null) {
            demo.close();
        }
    }

    private static Path selfSigned(Path file) throws Exception {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
        kpg.initialize(256);
        KeyPair kp = kpg.generateKeyPair();
        X500Name subject = new X500Name("CN=127.0.0.1");
        long now = System.currentTimeMillis();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(now),
                new Date(now - 3_600_000L), new Date(now + 86_400_000L), subject, kp.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
        X509Certificate cert = new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("demo", kp.getPrivate(), PASSWORD.toCharArray(), new Certificate[]{cert});
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, PASSWORD.toCharArray());
        }
        return file;
    }

    @Test
    void aPageOnHttpsConnectsOverWssOnHttp2AndTheTokenSubprotocolWorksThereToo() {
        assertThat(demo.gateway().getScheme()).isEqualTo("wss");
        String console = demo.demo.consoleUri().orElseThrow().toString();
        assertThat(console).startsWith("https://127.0.0.1:");
        browser.get(console); // an https page of the gateway's origin: Chromium now holds an h2 connection to it
        String protocol = (String) ((JavascriptExecutor) browser).executeScript(
                "return performance.getEntriesByType('navigation')[0].nextHopProtocol;");
        assertThat(protocol).as("the page came over HTTP/2 (ALPN h2)").isEqualTo("h2");

        Gateway gateway = demo.demo.gateway();
        assertThat(PlainPage.openAndHold(browser, demo.gateway() + "/echo", List.of())).isEqualTo("echoed:held on ");
        assertThat(gateway.pairs()).singleElement().satisfies(pair -> {
            assertThat(pair.request().secure()).isTrue();
            assertThat(pair.request().httpVersion()).as("RFC 8441: an extended CONNECT on the page's h2 connection")
                    .isEqualTo(HandshakeRequest.HTTP_2);
        });
        assertThat(PlainPage.closeHeld(browser)).isEqualTo(1000);

        PlainPage echo = PlainPage.connect(browser, demo.gateway() + "/echo", List.of());
        assertThat(echo.events()).containsExactly("open", "message:hello from the page", "close:1000");

        String token = BrowserDemo.token(Instant.now().plusSeconds(600));
        PlainPage chat = PlainPage.connect(browser, demo.gateway() + "/chat", List.of(BrowserDemo.MARKER, "bearer." + token));
        assertThat(chat.events()).containsExactly("open", "message:hello from the page", "close:1000");
        assertThat(chat.protocol()).isEqualTo(BrowserDemo.MARKER);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(gateway.openPairs()).isZero();
            assertThat(gateway.pendingHandshakes()).isZero();
        });
    }
}
