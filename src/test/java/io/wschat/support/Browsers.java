package io.wschat.support;

import java.io.File;
import java.util.List;
import java.util.Optional;

import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Starts the browser the page tests drive. It looks where a developer's machine usually has one:
 * a Chromium or Chrome on the {@code PATH}, with the {@code chromedriver} on the {@code PATH};
 * whatever is missing is left to Selenium Manager, which finds an installed browser and driver or
 * downloads them when it can. When neither works (offline, nothing installed) the test fails with
 * one line that says what to install, rather than Selenium Manager's report.
 */
public final class Browsers {

    /** The names the browser has in Debian, Ubuntu and Google's packages, in the order we prefer them. */
    private static final List<String> BROWSERS = List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");

    static final String NOTHING_INSTALLED = "No Chromium found: install chromium and chromium-driver"
            + " (Debian: apt-get install chromium chromium-driver) or put google-chrome on the PATH";

    private Browsers() {
    }

    /** A new headless Chromium (or Chrome); the caller quits it. Each one has its own fresh profile. */
    public static WebDriver headlessChrome() {
        Optional<File> browser = BROWSERS.stream().map(Browsers::onPath).flatMap(Optional::stream).findFirst();
        Optional<File> driver = onPath("chromedriver");
        ChromeOptions options = new ChromeOptions();
        browser.ifPresent(options::setBinary);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--disable-component-update", "--no-first-run", "--window-size=1280,900");
        ChromeDriverService.Builder service = new ChromeDriverService.Builder().usingAnyFreePort();
        // A service without an executable makes ChromeDriver ask Selenium Manager for one.
        driver.ifPresent(service::usingDriverExecutable);
        try {
            return new ChromeDriver(service.build(), options);
        } catch (WebDriverException e) {
            if (browser.isPresent() && driver.isPresent()) {
                throw e;  // both were there: the report is about them, not about what is missing
            }
            throw new IllegalStateException(browser
                    .map(b -> "Found " + b + " but no chromedriver: install chromium-driver"
                            + " (Debian: apt-get install chromium-driver) or put a chromedriver on the PATH")
                    .orElse(NOTHING_INSTALLED));
        }
    }

    private static Optional<File> onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File candidate = new File(dir, program);
            if (!dir.isEmpty() && candidate.isFile() && candidate.canExecute()) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
