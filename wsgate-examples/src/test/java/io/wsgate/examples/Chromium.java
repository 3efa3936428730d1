package io.wsgate.examples;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Debian's headless Chromium, driven through Debian's chromedriver: both paths are given, so Selenium Manager never
 * runs and nothing is downloaded. One per test class (it takes about a second to start). When the packages are
 * missing the browser tests are skipped, unless {@code WSGATE_BROWSER_TESTS=required} (as in {@code .ci/run}),
 * where they fail.
 */
final class Chromium {

    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    /** The binary itself: Debian's /usr/bin/chromium is a wrapper script. */
    private static final Path[] BINARIES = {Path.of("/usr/lib/chromium/chromium"), Path.of("/usr/bin/chromium")};

    private Chromium() {
    }

    /**
     * @param acceptTestCertificates true to accept the tests' self-signed certificates ({@code --ignore-certificate-errors},
     *                               in these tests only)
     * @return a headless browser; quit it after the class
     */
    static ChromeDriver start(boolean acceptTestCertificates) {
        Path binary = null;
        for (Path b : BINARIES) {
            if (Files.isExecutable(b)) {
                binary = b;
                break;
            }
        }
        boolean present = binary != null && Files.isExecutable(DRIVER);
        String why = "headless Chromium is needed: apt-get install -y chromium chromium-driver (.ci/run does)";
        if ("required".equals(System.getenv("WSGATE_BROWSER_TESTS"))) {
            if (!present) {
                throw new IllegalStateException(why);
            }
        } else {
            Assumptions.assumeTrue(present, why);
        }
        System.setProperty("SE_OFFLINE", "true");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(binary.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1000,1300", "--no-first-run", "--no-default-browser-check", "--disable-extensions");
        if (acceptTestCertificates) {
            options.addArguments("--ignore-certificate-errors");
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort()
                .withEnvironment(Map.of("SE_OFFLINE", "true"))
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        return driver;
    }
}
