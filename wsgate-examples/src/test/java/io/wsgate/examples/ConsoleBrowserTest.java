package io.wsgate.examples;

import io.wsgate.core.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The test console in headless Chromium, as a user drives it: keystrokes, clicks, and what the page then shows. */
class ConsoleBrowserTest {

    @TempDir
    static Path dir;
    private static BrowserDemo demo;
    private static ChromeDriver browser;
    private WebDriverWait wait;

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

    @BeforeEach
    void openConsole() {
        wait = new WebDriverWait(browser, Duration.ofSeconds(15));
        browser.get(demo.demo.consoleUri().orElseThrow().toString());
        wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
    }

    @AfterEach
    void nothingLeft() {
        Gateway gateway = demo.demo.gateway();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(gateway.openPairs()).isZero();
            assertThat(gateway.pendingHandshakes()).isZero();
            assertThat(gateway.pairDeadlines()).isZero();
        });
    }

    private WebElement el(String id) {
        return browser.findElement(By.id(id));
    }

    private void type(String id, String text) {
        el(id).clear();
        el(id).sendKeys(text);
    }

    private void choose(String api) {
        new Select(el("api")).selectByValue(api);
    }

    private void state(String state) {
        wait.until(ExpectedConditions.attributeToBe(By.id("status"), "data-state", state));
    }

    private WebElement logged(String dir, String type, String content) {
        By entry = By.xpath("//ol[@id='log']/li[@data-dir='" + dir + "' and @data-type='" + type + "']/code[text()='"
                + content + "']");
        return wait.until(ExpectedConditions.visibilityOfElementLocated(entry));
    }

    private WebElement diagnose() {
        el("diagnose").click();
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#diagnosis[data-stage]")));
    }

    @Test
    void echoesTextAndBinaryAndClosesWith4000Bye() throws Exception {
        choose("echo");
        el("connect").click();
        state("open");
        assertThat(el("status").getText()).isEqualTo("Open, no subprotocol.");

        type("payload", "hello, echo");
        el("send").click();
        logged("out", "text", "hello, echo");
        WebElement echoed = logged("in", "text", "hello, echo");
        assertThat(echoed.findElement(By.xpath("..")).getText()).contains("11 B");

        new Select(el("payload-format")).selectByValue("hex");
        type("payload", "00 01 fe ff 7f");
        el("send").click();
        logged("in", "binary", "00 01 fe ff 7f");

        new Select(el("payload-format")).selectByValue("base64");
        type("payload", "d3NnYXRl"); // "wsgate"
        el("send").click();
        logged("in", "binary", "77 73 67 61 74 65");

        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Path target = Path.of("target", "console-echo.png");
        Files.createDirectories(target.getParent());
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(target)).isPositive();

        type("close-code", "4000");
        type("close-reason", "bye");
        el("disconnect").click();
        state("closed");
        assertThat(el("status").getText()).isEqualTo("Closed: code 4000, reason \"bye\", clean.");
    }

    @Test
    void aJwtApiWithTheTokenInASubprotocolConnectsAndIsAnsweredWithTheMarker() {
        choose("chat");
        type("token", BrowserDemo.token(Instant.now().plusSeconds(600)));
        assertThat(new Select(el("token-place")).getFirstSelectedOption().getText())
                .isEqualTo("subprotocol bearer.<token> beside " + BrowserDemo.MARKER);
        el("connect").click();
        state("open");
        assertThat(el("status").getText()).isEqualTo("Open, subprotocol " + BrowserDemo.MARKER + ".");
        type("payload", "authorized");
        el("send").click();
        logged("in", "text", "authorized");
        el("disconnect").click();
        state("closed");
    }

    @Test
    void anExpiredTokenFailsWith1006AndIsDiagnosedAsExpired() {
        choose("chat");
        type("token", BrowserDemo.token(Instant.now().minusSeconds(3600)));
        el("connect").click();
        state("closed");
        assertThat(el("status").getAttribute("data-code")).isEqualTo("1006");

        WebElement diagnosis = diagnose();
        assertThat(diagnosis.getAttribute("data-stage")).isEqualTo("POLICY");
        assertThat(diagnosis.getAttribute("data-code")).isEqualTo("UNAUTHORIZED");
        assertThat(diagnosis.getText()).contains("Refused at policy by policy validate-jwt: 401 UNAUTHORIZED")
                .containsIgnoringCase("expired");
    }

    @Test
    void anApiThatRefusesTheConsolesOriginFailsAndIsDiagnosedAsOriginForbidden() {
        choose("partner");
        el("connect").click();
        state("closed");
        assertThat(el("status").getAttribute("data-code")).isEqualTo("1006");

        WebElement diagnosis = diagnose();
        assertThat(diagnosis.getAttribute("data-code")).isEqualTo("ORIGIN_FORBIDDEN");
        assertThat(diagnosis.getText()).contains("403 ORIGIN_FORBIDDEN");
    }

    @Test
    void aWorkingRequestIsDiagnosedAsAdmitted() {
        choose("chat");
        type("token", BrowserDemo.token(Instant.now().plusSeconds(600)));
        WebElement diagnosis = diagnose();
        assertThat(diagnosis.getAttribute("data-admitted")).isEqualTo("true");
        assertThat(diagnosis.getText()).contains("answer subprotocol " + BrowserDemo.MARKER);
    }
}
