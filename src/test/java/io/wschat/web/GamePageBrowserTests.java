package io.wschat.web;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The game page in two real headless Chromium browsers: both join one game from the lobby,
 * each steers with the keyboard and each sees the other move; a third player joins mid-round
 * from the lobby and starts from a full snapshot.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "chat.game.round-length=600s")
class GamePageBrowserTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final List<Path> profiles = new ArrayList<>();
    private static ChromeDriver first;
    private static ChromeDriver second;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startBrowsers() throws Exception {
        first = browser();
        second = browser();
    }

    @AfterAll
    static void stopBrowsers() {
        for (ChromeDriver driver : new ChromeDriver[] {first, second}) {
            if (driver != null) {
                driver.quit();
            }
        }
        profiles.forEach(p -> FileSystemUtils.deleteRecursively(p.toFile()));
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
        first.findElement(By.cssSelector("#games li[data-game='" + game + "'] button")).click();
        await(first, () -> "playing".equals(first.findElement(By.id("status")).getAttribute("data-state")));
        await(first, () -> players(first).size() == 3
                && players(first).stream().allMatch(p -> p.get("name") != null));
        assertThat(((Number) first.executeScript("return wschatGame.fullSnapshots()")).intValue()).isGreaterThanOrEqualTo(1);
        await(second, () -> players(second).stream().anyMatch(p -> "carol".equals(p.get("name"))));
    }

    /** {@code mover} holds an arrow key, away from the nearer wall, until {@code watcher} sees it travel. */
    private static void assertMovesSeenBy(ChromeDriver mover, String name, ChromeDriver watcher) {
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

    private static void join(ChromeDriver driver, String name, String page) {
        driver.get(page);
        driver.findElement(By.id("player-name")).clear();
        driver.findElement(By.id("player-name")).sendKeys(name);
        driver.findElement(By.cssSelector("[data-testid=play]")).click();
        await(driver, () -> "playing".equals(driver.findElement(By.id("status")).getAttribute("data-state")));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> players(ChromeDriver driver) {
        return (List<Map<String, Object>>) driver.executeScript("return wschatGame.players()");
    }

    private static Map<String, Object> player(ChromeDriver driver, String name) {
        return players(driver).stream().filter(p -> name.equals(p.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not in " + players(driver)));
    }

    private static void await(WebDriver driver, java.util.function.BooleanSupplier condition) {
        new WebDriverWait(driver, TIMEOUT).until(d -> condition.getAsBoolean());
    }

    private static ChromeDriver browser() throws Exception {
        Path profile = Files.createTempDirectory("wschat-game-chromium-");
        profiles.add(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(onPath("chromium"));
        // Background windows must keep their timers: each sends one input per tick.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--disable-component-update", "--no-first-run",
                "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows", "--user-data-dir=" + profile, "--window-size=420,860");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(onPath("chromedriver"))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    private static File onPath(String program) {
        List<String> dirs = Arrays.asList(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator));
        for (String dir : dirs) {
            File candidate = new File(dir, program);
            if (candidate.isFile() && candidate.canExecute()) {
                return candidate;
            }
        }
        throw new IllegalStateException(program + " is not on the PATH; the browser tests need chromium and chromium-driver");
    }
}
