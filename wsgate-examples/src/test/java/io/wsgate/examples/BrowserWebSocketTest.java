package io.wsgate.examples;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A plain page's {@code new WebSocket(...)} in headless Chromium through the demo gateway, without the console. */
class BrowserWebSocketTest {

    @TempDir
    static Path dir;
    private static BrowserDemo demo;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        browser = Chromium.start(false);
        demo = BrowserDemo.start(dir, List.of(), System::getenv);
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

    private PlainPage connect(String pageHost, String path, List<String> protocols) {
        browser.get(demo.page(pageHost));
        return PlainPage.connect(browser, demo.gateway() + path, protocols);
    }

    @Test
    void theTokenInASubprotocolBesideTheMarkerConnectsAndTheBrowserSeesTheMarker() {
        String token = BrowserDemo.token(Instant.now().plusSeconds(600));
        PlainPage seen = connect("localhost", "/chat", List.of(BrowserDemo.MARKER, "bearer." + token));
        assertThat(seen.events()).containsExactly("open", "message:hello from the page", "close:1000");
        assertThat(seen.protocol()).isEqualTo(BrowserDemo.MARKER);
        assertThat(seen.clean()).isTrue();
    }

    @Test
    void theTokenAloneInASubprotocolIsAdmittedButChromiumFailsTheAnswerWithoutOne() {
        // why the marker exists: the gateway admits the token and answers 101 with no Sec-WebSocket-Protocol, which a
        // browser that offered one refuses
        String token = BrowserDemo.token(Instant.now().plusSeconds(600));
        PlainPage seen = connect("localhost", "/legacy", List.of("bearer." + token));
        assertThat(seen.events()).containsExactly("error", "close:1006");
        assertThat(seen.clean()).isFalse();
    }

    @Test
    void anExpiredTokenInTheSubprotocolFailsWith1006() {
        String token = BrowserDemo.token(Instant.now().minusSeconds(60));
        PlainPage seen = connect("localhost", "/chat", List.of(BrowserDemo.MARKER, "bearer." + token));
        assertThat(seen.events()).containsExactly("error", "close:1006");
    }

    @Test
    void aPageFromAnOriginCheckOriginAllowsConnectsAndOneItRefusesFails() {
        PlainPage allowed = connect("localhost", "/partner", List.of());
        assertThat(allowed.events()).containsExactly("open", "message:hello from the page", "close:1000");
        assertThat(allowed.protocol()).isEmpty();

        PlainPage refused = connect("127.0.0.1", "/partner", List.of());
        assertThat(refused.events()).containsExactly("error", "close:1006");
    }
}
