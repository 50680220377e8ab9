package io.wschat.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.wschat.support.Browsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.remote.RemoteWebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The game page in two real headless Chromium browsers: both join one game from the lobby,
 * each steers with the keyboard and each sees the other move; a third player joins mid-round
 * from the lobby and starts from a full snapshot.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "chat.game.round-length=600s")
class GamePageBrowserTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static RemoteWebDriver first;
    private static RemoteWebDriver second;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startBrowsers() {
        first = browser();
        second = browser();
    }

    @AfterAll
    static void stopBrowsers() {
        for (RemoteWebDriver driver : new RemoteWebDriver[] {first, second}) {
            if (driver != null) {
                driver.quit();
            }
        }
    }

    @Test
    void shouldLetTwoBrowsersPlayTogetherAndAThirdJoinMidRound() {
        String game = "browsers";
        String page = "http://localhost:" + port + "/game?game=" + game;
        join(first, "alice", page);
        join(second, "bob", page);
        await(first, () -> players(first).size() == 2);
        await(second, () -> players(second).size() == 2);

        assertMovesSeenBy(first, "alice", second);
        assertMovesSeenBy(second, "bob", first);

        // A third player, in another window of the first browser, finds the game in the lobby.
        first.switchTo().newWindow(WindowType.WINDOW);
        first.get("http://localhost:" + port + "/game");
        await(first, () -> first.findElements(By.cssSelector("#games li[data-game='" + game + "']")).stream()
                .anyMatch(li -> li.getText().contains("alice") && li.getText().contains("bob")));
        first.findElement(By.id("player-name")).clear();
        first.findElement(By.id("player-name")).sendKeys("carol");
        // The lobby list is redrawn every 2 s, so an element found a moment ago may be gone: retry.
        await(first, () -> {
            first.findElement(By.cssSelector("#games li[data-game='" + game + "'] button")).click();
            return true;
        });
        await(first, () -> "playing".equals(first.findElement(By.id("status")).getAttribute("data-state")));
        await(first, () -> players(first).size() == 3
                && players(first).stream().allMatch(p -> p.get("name") != null));
        assertThat(((Number) first.executeScript("return wschatGame.fullSnapshots()")).intValue()).isGreaterThanOrEqualTo(1);
        await(second, () -> players(second).stream().anyMatch(p -> "carol".equals(p.get("name"))));
    }

    /** {@code mover} holds an arrow key, away from the nearer wall, until {@code watcher} sees it travel. */
    private static void assertMovesSeenBy(RemoteWebDriver mover, String name, RemoteWebDriver watcher) {
        Map<String, Object> start = player(watcher, name);
        double x0 = ((Number) start.get("x")).doubleValue();
        Keys key = x0 > 500 ? Keys.ARROW_LEFT : Keys.ARROW_RIGHT;
        new Actions(mover).keyDown(key).perform();
        try {
            await(watcher, () -> Math.abs(((Number) player(watcher, name).get("x")).doubleValue() - x0) > 100);
        } finally {
            new Actions(mover).keyUp(key).perform();
        }
    }

    private static void join(RemoteWebDriver driver, String name, String page) {
        driver.get(page);
        driver.findElement(By.id("player-name")).clear();
        driver.findElement(By.id("player-name")).sendKeys(name);
        driver.findElement(By.cssSelector("[data-testid=play]")).click();
        await(driver, () -> "playing".equals(driver.findElement(By.id("status")).getAttribute("data-state")));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> players(RemoteWebDriver driver) {
        return (List<Map<String, Object>>) driver.executeScript("return wschatGame.players()");
    }

    private static Map<String, Object> player(RemoteWebDriver driver, String name) {
        return players(driver).stream().filter(p -> name.equals(p.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not in " + players(driver)));
    }

    private static void await(WebDriver driver, java.util.function.BooleanSupplier condition) {
        new WebDriverWait(driver, TIMEOUT).ignoring(StaleElementReferenceException.class).until(d -> condition.getAsBoolean());
    }

    private static RemoteWebDriver browser() {
        // Background windows must keep their timers: each sends one input per tick.
        return (RemoteWebDriver) Browsers.headlessChrome("--disable-background-timer-throttling",
                "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows");
    }
}
