package io.wschat.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.wschat.support.Browsers;
import io.wschat.support.TestClient;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The demo page applies a large room's batched presence changes ({@code "event": "changes"}) one
 * after the other: its member list and its system lines end up as if each had come on its own.
 * Every room above one member counts as large here.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "chat.presence.batch-above=1", "chat.presence.batch-window=500ms"})
class PresenceBatchPageTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private static WebDriver driver;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startBrowser() {
        driver = Browsers.headlessChrome();
    }

    @AfterAll
    static void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void thePageAppliesEveryChangeOfABatchInOrder() throws Exception {
        driver.get("http://localhost:" + port + "/");
        driver.findElement(By.id("room")).clear();
        driver.findElement(By.id("room")).sendKeys("crowd");
        driver.findElement(By.id("name")).clear();
        driver.findElement(By.id("name")).sendKeys("Alice");
        driver.findElement(By.id("connect")).click();
        await("Alice's welcome", () -> "open".equals(script("return document.querySelector('#state').dataset.state")));

        String url = "ws://localhost:" + port + "/chat?room=crowd&name=";
        try (TestClient bob = TestClient.connect(url + "Bob"); TestClient carol = TestClient.connect(url + "Carol")) {
            bob.next("welcome");
            carol.next("welcome");
            // Within one window: Bob renames himself and Carol leaves, after both joined.
            bob.sendJson(Map.of("type", "nick", "name", "Robert"));
            carol.close();
            await("the list after the batch", () -> members().equals(List.of("Alice you", "Robert")));
        }
        assertThat(frames()).as("the changes came batched").anyMatch(f -> f.contains("\"event\":\"changes\""));
        List<String> lines = systemLines();
        assertThat(lines).contains("Bob joined.", "Carol joined.", "Bob is now Robert.", "Carol left.");
        assertThat(lines.indexOf("Bob is now Robert.")).isGreaterThan(lines.indexOf("Bob joined."));
    }

    @SuppressWarnings("unchecked")
    private static List<String> members() {
        return (List<String>) script("return Array.from(document.querySelectorAll('#members li'), li => li.textContent)");
    }

    @SuppressWarnings("unchecked")
    private static List<String> frames() {
        return (List<String>) script("return Array.from(document.querySelectorAll('#frame-log li[data-dir=in] .body'), b => b.textContent)");
    }

    @SuppressWarnings("unchecked")
    private static List<String> systemLines() {
        return (List<String>) script("return Array.from(document.querySelectorAll('#messages li.system'), li => li.textContent)");
    }

    private static Object script(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    private static void await(String what, BooleanSupplier condition) {
        new WebDriverWait(driver, TIMEOUT).withMessage(() -> "waited " + TIMEOUT.toSeconds() + " s for " + what
                + "; members: " + members()).until(d -> condition.getAsBoolean());
    }
}
