package io.wschat.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import io.wschat.support.Browsers;
import io.wschat.support.TcpProxy;
import io.wschat.support.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The demo page in a real headless Chromium: connect, send, acknowledgement, room isolation,
 * the handshake panel, and recovery after the connection drops. One browser for the class;
 * each test uses its own tabs and rooms.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DemoPageBrowserTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final AtomicInteger ROOMS = new AtomicInteger();

    private static WebDriver driver;
    private static String blankTab;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startBrowser() {
        driver = Browsers.headlessChrome();
        blankTab = driver.getWindowHandle();
    }

    @AfterAll
    static void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    /** Closing a tab closes its WebSocket, so no test leaves members behind for the next. */
    @AfterEach
    void closeTabs() {
        for (String handle : driver.getWindowHandles()) {
            if (!handle.equals(blankTab)) {
                driver.switchTo().window(handle).close();
            }
        }
        driver.switchTo().window(blankTab);
    }

    @Test
    void connectsSendsAndSeesItsOwnMessageLoggedAndAcknowledged() {
        String room = room("solo");
        openPage("http://localhost:" + port + "/");
        connect(room, "Alice");
        assertThat(text("#url")).as("with the tab's client id, which makes resends recognisable")
                .matches("ws://localhost:" + port + "/chat\\?room=" + room + "&name=Alice&client=[0-9a-f-]{32,36}");
        assertThat(members()).containsExactly("Alice you");

        String text = "hello from the browser ✓";
        send(text);

        await("the message to be acknowledged", () -> messages().stream()
                .anyMatch(m -> m.get("text").equals(text) && "acked".equals(m.get("status"))));
        Map<String, Object> message = messages().stream().filter(m -> m.get("text").equals(text)).findFirst().orElseThrow();
        assertThat(message.get("mine")).isEqualTo(true);
        assertThat(Long.parseLong((String) message.get("seq"))).isPositive();
        assertThat(messages()).filteredOn(m -> m.get("text").equals(text)).hasSize(1);

        List<Map<String, Object>> frames = frames();
        Map<String, Object> sent = frames.stream()
                .filter(f -> f.get("dir").equals("out") && ((String) f.get("body")).contains("\"type\":\"message\""))
                .findFirst().orElseThrow();
        assertThat((String) sent.get("label")).isEqualTo("→ sent");
        assertThat((String) sent.get("body")).contains(text).contains("\"cid\":\"" + message.get("cid") + "\"");
        assertThat(sent.get("size")).isEqualTo(utf8Length(sent.get("body")) + " B");
        assertThat(frames).anySatisfy(f -> {
            assertThat(f.get("dir")).isEqualTo("in");
            assertThat(f.get("label")).isEqualTo("← received");
            assertThat((String) f.get("body")).contains("\"type\":\"message\"", text, "\"cid\":\"" + message.get("cid") + "\"");
            assertThat(f.get("size")).isEqualTo(utf8Length(f.get("body")) + " B");
        });
    }

    @Test
    void aMessageReachesAnotherTabInTheSameRoomButNotOneInAnotherRoom() {
        String room = room("shared");
        String otherRoom = room("elsewhere");
        String alice = openPage("http://localhost:" + port + "/");
        connect(room, "Alice");
        String bob = openPage("http://localhost:" + port + "/");
        connect(room, "Bob");
        String carol = openPage("http://localhost:" + port + "/");
        connect(otherRoom, "Carol");

        driver.switchTo().window(alice);
        await("Alice to see Bob join", () -> members().equals(List.of("Alice you", "Bob")));
        send("only for this room");

        driver.switchTo().window(bob);
        await("Bob to receive Alice's message", () -> messages().stream()
                .anyMatch(m -> m.get("text").equals("only for this room") && m.get("from").equals("Alice")));
        assertThat(members()).containsExactly("Alice", "Bob you");

        // Carol's own acknowledged message comes after Alice's was delivered: had Alice's
        // been routed to Carol's room, it would be on Carol's page by now.
        driver.switchTo().window(carol);
        send("carol was here");
        await("Carol's own message to be acknowledged", () -> messages().stream()
                .anyMatch(m -> m.get("text").equals("carol was here") && "acked".equals(m.get("status"))));
        assertThat(messages()).extracting(m -> m.get("text")).containsExactly("carol was here");
        assertThat(members()).containsExactly("Carol you");
        assertThat(frames()).noneSatisfy(f -> assertThat((String) f.get("body")).contains("only for this room"));
    }

    @Test
    void handshakePanelShowsTheRfc6455ExchangeOfThisConnection() throws Exception {
        String room = room("handshake");
        openPage("http://localhost:" + port + "/");
        connect(room, "Hana");

        String handshake = text("#handshake");
        assertThat(handshake).matches("(?s)GET /chat\\?room=" + room + "&name=Hana&client=[0-9a-f-]+ HTTP/1\\.1\n.*")
                .containsPattern("(?im)^upgrade: websocket$")
                .containsPattern("(?im)^sec-websocket-version: 13$")
                .contains("\n\nHTTP/1.1 101 Switching Protocols\nUpgrade: websocket\nConnection: Upgrade\n");
        Matcher key = Pattern.compile("(?im)^sec-websocket-key: (\\S+)$").matcher(handshake);
        Matcher accept = Pattern.compile("(?m)^Sec-WebSocket-Accept: (\\S+)$").matcher(handshake);
        assertThat(key.find()).as("the request's Sec-WebSocket-Key is shown").isTrue();
        assertThat(accept.find()).as("the answer's Sec-WebSocket-Accept is shown").isTrue();
        assertThat(accept.group(1)).isEqualTo(acceptFor(key.group(1)));
        await("the page to verify the accept value", () -> "true".equals(attribute("#accept-check", "data-verified")));
    }

    @Test
    void afterTheConnectionDropsItReconnectsCatchesUpAndSendsWhatWasPending() throws Exception {
        String room = room("recover");
        try (TcpProxy proxy = TcpProxy.to(port)) {
            openPage("http://127.0.0.1:" + proxy.port() + "/");
            connect(room, "Rita");
            send("before the drop");
            await("the first message to be acknowledged", () -> messages().stream()
                    .anyMatch(m -> m.get("text").equals("before the drop") && "acked".equals(m.get("status"))));
            String clientId = text("#url").replaceFirst(".*[?&](client=[^&]+).*", "$1");

            proxy.cutAndRefuse();
            await("the page to notice and plan a reconnect", () -> "reconnecting".equals(attribute("#state", "data-state")));
            // A cut socket is 1006 to the browser, or 1002 when the cut lands inside a frame: both are a drop.
            assertThat(text("#close-info")).matches("Closed with code 100[26]\\b.*").contains("Unexpected");
            send("typed while offline");
            assertThat(messages()).filteredOn(m -> m.get("text").equals("typed while offline"))
                    .singleElement().satisfies(m -> assertThat(m.get("status")).isEqualTo("pending"));

            try (TestClient other = TestClient.connect("ws://localhost:" + port + "/chat?room=" + room + "&name=Otto")) {
                other.next("welcome");
                other.sendJson(Map.of("type", "message", "text", "sent while Rita was away"));
                other.next("message");
            }

            proxy.accept();
            await("the pending message to be acknowledged after the reconnect", () -> messages().stream()
                    .anyMatch(m -> m.get("text").equals("typed while offline") && "acked".equals(m.get("status"))));
            assertThat(text("#url")).contains("since=").as("the same client id on the reconnect").contains(clientId);
            await("the missed message to arrive", () -> messages().stream()
                    .anyMatch(m -> m.get("text").equals("sent while Rita was away")));
            assertThat(messages()).extracting(m -> m.get("text"))
                    .containsExactly("before the drop", "sent while Rita was away", "typed while offline");
            assertThat(messages()).extracting(m -> Long.parseLong((String) m.get("seq"))).isSorted().doesNotHaveDuplicates();
            assertThat(attribute("#state", "data-state")).isEqualTo("open");
        }
    }

    @Test
    void aMessageTheServerRefusesLeavesTheOutboxAndIsNotResentAfterAReconnect() throws Exception {
        String room = room("refused");
        try (TcpProxy proxy = TcpProxy.to(port)) {
            openPage("http://127.0.0.1:" + proxy.port() + "/");
            connect(room, "Rene");
            // U+0000, which PostgreSQL cannot store: JSON.stringify sends it as \u0000, and the server refuses it.
            script("document.querySelector('#message-input').value = 'a nul \\u0000 inside'");
            driver.findElement(By.id("send")).click();
            await("the refusal to mark the message as not sent", () -> messages().stream()
                    .anyMatch(m -> "failed".equals(m.get("status"))));
            Map<String, Object> refused = messages().stream().filter(m -> "failed".equals(m.get("status"))).findFirst().orElseThrow();
            String cid = (String) refused.get("cid");
            assertThat(text("#messages li[data-status=failed] .status")).isEqualTo("invalid_text");
            assertThat(frames()).anySatisfy(f -> assertThat((String) f.get("body"))
                    .contains("\"type\":\"error\"", "\"code\":\"invalid_text\"", "\"cid\":\"" + cid + "\""));

            proxy.cutAndRefuse();
            await("the page to notice and plan a reconnect", () -> "reconnecting".equals(attribute("#state", "data-state")));
            proxy.accept();
            await("the page to be back", () -> "open".equals(attribute("#state", "data-state")));
            // Anything still in the outbox is resent right after the welcome, so before this message.
            send("after the reconnect");
            await("the new message to be acknowledged", () -> messages().stream()
                    .anyMatch(m -> m.get("text").equals("after the reconnect") && "acked".equals(m.get("status"))));
            assertThat(frames()).filteredOn(f -> f.get("dir").equals("out") && ((String) f.get("body")).contains(cid))
                    .as("the refused message was sent once, never again").hasSize(1);
            assertThat(messages()).filteredOn(m -> cid.equals(m.get("cid"))).singleElement()
                    .satisfies(m -> assertThat(m.get("status")).isEqualTo("failed"));
        }
    }

    @Test
    void loadOlderMessagesPutsEarlierPagesAboveAndHidesWhenNothingIsLeft() throws Exception {
        String room = room("older");
        // Four senders of twenty, one after another: each stays within the rate limit's burst.
        for (int first = 1; first <= 80; first += 20) {
            try (TestClient filler = TestClient.connect("ws://localhost:" + port + "/chat?room=" + room + "&name=Filler")) {
                filler.next("welcome");
                for (int i = first; i < first + 20; i++) {
                    filler.send("old " + i);
                }
                for (int i = 0; i < 20; i++) {
                    filler.next("message");
                }
            }
        }
        openPage("http://localhost:" + port + "/");
        connect(room, "Olga");
        await("the welcome's latest fifty", () -> messages().size() == 50);
        assertThat(messages().get(0).get("text")).isEqualTo("old 31");
        assertThat(script("return document.querySelector('#load-older').hidden")).isEqualTo(false);

        driver.findElement(By.id("load-older")).click();
        await("the older thirty", () -> messages().size() == 80);
        assertThat(messages()).extracting(m -> m.get("text"))
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 80).mapToObj(i -> "old " + i).toList());
        assertThat(messages()).extracting(m -> Long.parseLong((String) m.get("seq"))).isSorted().doesNotHaveDuplicates();
        await("the button to go once nothing older is left",
                () -> Boolean.TRUE.equals(script("return document.querySelector('#load-older').hidden")));
        assertThat(frames()).anyMatch(f -> f.get("dir").equals("out") && ((String) f.get("body")).contains("\"type\":\"history\""));
    }

    @Test
    void echoEndpointAnswersLikeTheClassicServer() {
        openPage("http://localhost:" + port + "/");
        new Select(driver.findElement(By.id("endpoint"))).selectByValue("echo");
        driver.findElement(By.id("connect")).click();
        await("the echo connection to open", () -> "open".equals(attribute("#state", "data-state")));
        assertThat(text("#url")).isEqualTo("ws://localhost:" + port + "/echo");
        send("hi");
        await("the echo", () -> frames().stream()
                .anyMatch(f -> f.get("dir").equals("in") && f.get("body").equals("got your message: hi")));
    }

    @Test
    void progressJobStartedFromThePageFillsItsBarTo100Percent() {
        openPage("http://localhost:" + port + "/");
        connect(room("progress"), "Alice");
        setValue("#progress-chunks", "10");
        setValue("#progress-interval", "50");
        driver.findElement(By.id("progress-start")).click();

        await("the job to finish", () -> "done".equals(attribute("#jobs li.job", "data-state")));
        assertThat(script("return document.querySelector('#jobs li.job progress').value")).isEqualTo(100L);
        assertThat(text("#jobs li.job .job-figures")).startsWith("100.0% · 640.0 KiB of 640.0 KiB · chunk 10/10");
        assertThat(text("#jobs li.job .job-state")).isEqualTo("done");
        assertThat(frames()).anyMatch(f -> f.get("dir").equals("out") && ((String) f.get("body")).contains("\"type\":\"progress\""));
        assertThat(frames()).anyMatch(f -> f.get("dir").equals("in") && ((String) f.get("body")).contains("\"state\":\"running\"")
                && ((String) f.get("body")).contains("\"percent\":50.0"));
    }

    @Test
    void timeSubscriptionShowsTheServerClockAndTheOffsetFromThisBrowser() {
        openPage("http://localhost:" + port + "/");
        connect(room("clock"), "Alice");
        driver.findElement(By.id("time-toggle")).click();

        await("the first time push", () -> "1".equals(text("#time-counter")));
        await("the clock offset", () -> text("#clock-offset").contains("ms"));
        assertThat(text("#server-time")).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} UTC");
        assertThat(text("#clock-rtt")).endsWith(" ms");
        assertThat(attribute("#time-toggle", "aria-pressed")).isEqualTo("true");
    }

    @Test
    void comparisonRunsOnTheServerAndInTheBrowserAndIsDrawn() {
        openPage("http://localhost:" + port + "/");
        setValue("#compare-exchanges", "10");
        driver.findElement(By.id("compare-server")).click();
        await("the server-side comparison", () -> "done".equals(attribute("#compare-status", "data-state")));
        assertThat(script("return Array.from(document.querySelectorAll('#compare-table tbody tr'), r => r.dataset.mode)"))
                .isEqualTo(List.of("http10", "http11", "websocket"));
        assertThat(script("return document.querySelectorAll('#compare-chart svg rect.bar').length")).isEqualTo(9L);

        driver.findElement(By.id("compare-browser")).click();
        await("the browser comparison", () -> "done".equals(attribute("#compare-status", "data-state"))
                && text("#compare-status").contains("this browser"));
        assertThat(script("return Array.from(document.querySelectorAll('#compare-table tbody tr'), r => r.dataset.mode)"))
                .isEqualTo(List.of("fetch", "websocket"));
        assertThat(text("#compare-table tbody tr[data-mode=websocket] td:nth-of-type(6)")).isEqualTo("38 + 52 = 90");
    }

    @Test
    void markupInAChatMessageIsShownAsTextInEveryViewAndNeverRuns() {
        String room = room("xss");
        openPage("http://localhost:" + port + "/");
        connect(room, "Xena");
        String attack = "<img src=x onerror=alert(1)>";
        send(attack);
        await("the message to be acknowledged", () -> messages().stream()
                .anyMatch(m -> m.get("text").equals(attack) && "acked".equals(m.get("status"))));
        assertThat(frames()).filteredOn(f -> ((String) f.get("body")).contains(attack)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(script("return document.querySelectorAll('img').length")).as("no element was made from the text").isEqualTo(0L);
        assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    }

    @Test
    void thePagesContentSecurityPolicyBlocksInlineHandlersEvenIfMarkupGotIn() {
        openPage("http://localhost:" + port + "/");
        script("window.violations = [];"
                + "document.addEventListener('securitypolicyviolation', e => window.violations.push(e.effectiveDirective));"
                + "const trap = document.createElement('div');"
                + "trap.innerHTML = '<img src=\"/no-such-image\" onerror=\"window.inlineRan = true\">';"
                + "document.body.appendChild(trap);");
        await("the policy to refuse the inline handler",
                () -> (Boolean) script("return window.violations.some(d => d.startsWith('script-src'))"));
        assertThat(script("return window.inlineRan === true")).isEqualTo(false);
    }

    // ---- page helpers -------------------------------------------------------------------------

    private static String room(String prefix) {
        return prefix + "-" + ROOMS.incrementAndGet() + "-" + System.nanoTime() % 100_000;
    }

    private static String openPage(String url) {
        driver.switchTo().newWindow(WindowType.TAB);
        driver.get(url);
        return driver.getWindowHandle();
    }

    private static void connect(String room, String name) {
        driver.findElement(By.id("room")).clear();
        driver.findElement(By.id("room")).sendKeys(room);
        driver.findElement(By.id("name")).clear();
        driver.findElement(By.id("name")).sendKeys(name);
        driver.findElement(By.id("connect")).click();
        await("the welcome to " + room, () -> "open".equals(attribute("#state", "data-state"))
                && text("#whoami").equals("in " + room + " as " + name));
    }

    private static void send(String text) {
        driver.findElement(By.id("message-input")).sendKeys(text);
        driver.findElement(By.id("send")).click();
    }

    private static void setValue(String selector, String value) {
        script("document.querySelector(arguments[0]).value = arguments[1]", selector, value);
    }

    private static String text(String selector) {
        return (String) script("return document.querySelector(arguments[0]).textContent", selector);
    }

    private static String attribute(String selector, String name) {
        return (String) script("const e = document.querySelector(arguments[0]); return e && e.getAttribute(arguments[1])", selector, name);
    }

    @SuppressWarnings("unchecked")
    private static List<String> members() {
        return (List<String>) script("return Array.from(document.querySelectorAll('#members li'), li => li.textContent)");
    }

    /** Read in one script call, so a list that changes meanwhile never yields stale elements. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> messages() {
        return (List<Map<String, Object>>) script("return Array.from(document.querySelectorAll('#messages li.message'), li => ({"
                + "text: li.querySelector('.text').textContent, from: li.querySelector('.from').textContent,"
                + "status: li.dataset.status || null, seq: li.dataset.seq || null, cid: li.dataset.cid || null,"
                + "mine: li.classList.contains('mine')}))");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> frames() {
        return (List<Map<String, Object>>) script("return Array.from(document.querySelectorAll('#frame-log li[data-dir=in],"
                + " #frame-log li[data-dir=out]'), li => ({dir: li.dataset.dir, label: li.querySelector('.dir').textContent,"
                + " size: li.querySelector('.size').textContent, body: li.querySelector('.body').textContent}))");
    }

    private static Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    private static void await(String what, BooleanSupplier condition) {
        new WebDriverWait(driver, TIMEOUT)
                .withMessage(() -> "waited " + TIMEOUT.toSeconds() + " s for " + what + "; state: "
                        + text("#state") + "; messages: " + messages())
                .until(d -> condition.getAsBoolean());
    }

    private static int utf8Length(Object text) {
        return ((String) text).getBytes(StandardCharsets.UTF_8).length;
    }

    /** RFC 6455 section 4.2.2, computed independently of the server and the page. */
    private static String acceptFor(String key) throws Exception {
        byte[] sha1 = MessageDigest.getInstance("SHA-1")
                .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
        return Base64.getEncoder().encodeToString(sha1);
    }
}
