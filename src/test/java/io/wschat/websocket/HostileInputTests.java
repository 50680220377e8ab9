package io.wschat.websocket;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.wschat.chat.MessageStore;
import io.wschat.chat.NewMessage;
import io.wschat.support.ApiClient;
import io.wschat.support.RawWebSocket;
import io.wschat.support.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input aimed at the edges random bytes rarely hit, on every path that takes text:
 * {@code /chat} frames, {@code /echo}, the handshake's query parameters, the publish API and the
 * job API. Unpaired and reversed surrogates, U+0000, noncharacters, control characters, 4-byte
 * characters split across continuation frames, bytes that are not UTF-8, lengths exactly at and
 * one past each limit, JSON numbers at the edges of {@code long}, deep nesting and huge strings.
 *
 * <p>Each input must get its defined answer, and after every one a bystander in the room still
 * chats (its message is acknowledged to it and delivered to another member) and a newcomer
 * still gets its {@code welcome}, whose history holds everything the attacks managed to store.
 * Shares its server with {@link GarbageTests}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "chat.limits.rate.messages-per-second=0",
        "logging.level.io.wschat.security.MeteredRejections=ERROR",
        "chat.api.keys=" + HostileInputTests.API_KEY,
        "chat.api.requests-per-second=1000",
        "chat.api.burst=1000"})
class HostileInputTests {

    static final String API_KEY = "hostile-key-0123456789";
    private static final String ROOM = "hostile";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String EMOJI = "\uD83D\uDE00";
    private static final byte[] EMOJI_UTF8 = EMOJI.getBytes(StandardCharsets.UTF_8);
    /** A letter outside the BMP (U+1D400 MATHEMATICAL BOLD CAPITAL A): one code point, two UTF-16 units. */
    private static final String WIDE_LETTER = "\uD835\uDC00";

    @LocalServerPort
    int port;

    @Autowired
    MessageStore store;

    /** Static: cids must be unique across the tests of the class, which share the room. */
    private static final AtomicInteger counter = new AtomicInteger();
    private TestClient bystander;
    private TestClient listener;
    private String bystanderId;

    @BeforeEach
    void enterTheRoom() throws Exception {
        bystander = TestClient.connect(chatUri("Bystander"));
        bystanderId = bystander.next("welcome").path("id").asString();
        listener = TestClient.connect(chatUri("Listener"));
        listener.next("welcome");
    }

    @AfterEach
    void leaveTheRoom() throws Exception {
        bystander.close();
        listener.close();
    }

    // ---- /chat frames --------------------------------------------------------------------------

    @Test
    void chatFramesWithTextThatCannotBeStoredOrEncodedAreRefusedWithInvalidTextAndTheirCid() throws Exception {
        try (TestClient attacker = TestClient.connect(chatUri("Attacker"))) {
            String attackerId = attacker.next("welcome").path("id").asString();
            List<Case> cases = List.of(
                    refused(message("x\\ud800y", "lone-high"), "invalid_text", "lone-high"),
                    refused(message("x\\udc00y", "lone-low"), "invalid_text", "lone-low"),
                    refused(message("x\\udc00\\ud800y", "reversed"), "invalid_text", "reversed"),
                    refused(message("cut in half \\ud83d", "cut"), "invalid_text", "cut"),
                    refused(message("a\\u0000b", "nul"), "invalid_text", "nul"),
                    refused("plain text with a raw \u0000 in it", "invalid_text", null),
                    refused("{\"type\":\"message\",\"text\":\"fine\",\"cid\":\"c\\ud800\"}", "invalid_text", null),
                    refused("{\"type\":\"nick\",\"name\":\"Bob\\ud800\"}", "invalid_text", null),
                    refused("{\"type\":\"nick\",\"name\":\"Bob\\u0000\"}", "invalid_text", null),
                    refused("{\"type\":\"join\",\"room\":\"r\\udbff\"}", "invalid_text", null),
                    refused("{\"type\":\"join\",\"room\":\"lobby\\u0000\"}", "invalid_text", null),
                    refused("{\"type\":\"ping\",\"id\":\"p\\udfff\"}", "invalid_text", null),
                    refused("{\"type\":\"progress\",\"label\":\"l\\ud800\"}", "invalid_text", null),
                    refused("{\"type\":\"progress\",\"label\":\"\\u0000\"}", "invalid_text", null),
                    refused("{\"type\":\"\\ud800\"}", "invalid_text", null),
                    refused("{\"type\":\"message\",\"text\":\"\\uZZZZ\"}", "invalid_json", null),
                    // Valid scalar values the server has no reason to refuse: they must round-trip exactly.
                    accepted(message("\\ufffe \\uffff \\ufdd0 \\ufdef \\ud83f\\udffe", null), "message",
                            "\uFFFE \uFFFF \uFDD0 \uFDEF \uD83F\uDFFE"),
                    accepted(message("bell\\u0007 esc\\u001b del\\u007f nel\\u0085 tab\\t", null), "message",
                            "bell\u0007 esc\u001b del\u007f nel\u0085 tab\t"),
                    accepted(message(EMOJI + " \\ud83d\\ude00 paired escapes", null), "message",
                            EMOJI + " " + EMOJI + " paired escapes"));
            play(attacker, attackerId, cases);
        }
    }

    @Test
    void chatFramesExactlyAtEachLimitAreAcceptedAndOnePastItRefused() throws Exception {
        try (TestClient attacker = TestClient.connect(chatUri("Limits"))) {
            String attackerId = attacker.next("welcome").path("id").asString();
            String atLimit = "a".repeat(3998) + EMOJI;
            String longRoom = "r".repeat(64);
            List<Case> cases = List.of(
                    accepted(message(atLimit, null), "message", atLimit),
                    refused(message("a".repeat(3999) + EMOJI, "too-long"), "text_too_long", "too-long"),
                    refused(message("b".repeat(60_000), null), "text_too_long", null),
                    accepted(nick("N".repeat(31) + counter.incrementAndGet() % 10), "presence", null),
                    accepted(nick(WIDE_LETTER.repeat(32)), "presence", null),
                    refused(nick("N".repeat(33)), "invalid_name", null),
                    refused(nick(WIDE_LETTER.repeat(33)), "invalid_name", null),
                    accepted("{\"type\":\"message\",\"text\":\"cid at 64\",\"cid\":\"" + "c".repeat(64) + "\"}", "message", "cid at 64"),
                    refused("{\"type\":\"message\",\"text\":\"cid at 65\",\"cid\":\"" + "c".repeat(65) + "\"}", "invalid_command", null),
                    accepted("{\"type\":\"ping\",\"id\":\"" + "p".repeat(64) + "\"}", "pong", null),
                    refused("{\"type\":\"ping\",\"id\":\"" + "p".repeat(65) + "\"}", "invalid_command", null),
                    accepted("{\"type\":\"progress\",\"chunks\":1,\"intervalMs\":50,\"label\":\"" + "l".repeat(64) + "\"}", "progress", null),
                    refused("{\"type\":\"progress\",\"chunks\":1,\"intervalMs\":50,\"label\":\"" + "l".repeat(65) + "\"}", "invalid_command", null),
                    accepted(join(longRoom, null), "welcome", null),
                    accepted(join(ROOM, null), "welcome", null),
                    refused(join("r".repeat(65), null), "invalid_room", null));
            play(attacker, attackerId, cases);
        }
    }

    @Test
    void jsonNumbersAtTheEdgesOfLongAreAnsweredByTheirRule() throws Exception {
        try (TestClient attacker = TestClient.connect(chatUri("Numbers"))) {
            String attackerId = attacker.next("welcome").path("id").asString();
            List<Case> cases = List.of(
                    accepted(join(ROOM, "9223372036854775807"), "welcome", null),
                    refused(join(ROOM, "-9223372036854775808"), "invalid_command", null),
                    refused(join(ROOM, "9223372036854775808"), "invalid_command", null),
                    refused(join(ROOM, "1e308"), "invalid_command", null),
                    accepted(join(ROOM, "-0"), "welcome", null),
                    refused(join(ROOM, "1.0"), "invalid_command", null),
                    refused(join(ROOM, "1".repeat(1001)), "invalid_json", null),
                    accepted(history("before", "9223372036854775807"), "history", null),
                    refused(history("before", "-9223372036854775808"), "invalid_command", null),
                    refused(history("before", "9223372036854775808"), "invalid_command", null),
                    refused(history("before", "1e308"), "invalid_command", null),
                    accepted(history("before", "-0"), "history", null),
                    refused(history("before", "1.0"), "invalid_command", null),
                    refused(history("limit", "9223372036854775807"), "invalid_command", null),
                    refused(history("limit", "-9223372036854775808"), "invalid_command", null),
                    refused(history("limit", "9223372036854775808"), "invalid_command", null),
                    refused(history("limit", "1e308"), "invalid_command", null),
                    refused(history("limit", "-0"), "invalid_command", null),
                    refused(history("limit", "1.0"), "invalid_command", null),
                    refused("{\"type\":\"progress\",\"chunks\":9223372036854775807}", "invalid_command", null),
                    refused("{\"type\":\"progress\",\"chunks\":1.5}", "invalid_command", null),
                    refused("{\"type\":\"progress\",\"chunks\":-0}", "invalid_job", null));
            play(attacker, attackerId, cases);
        }
    }

    @Test
    void deeplyNestedAndHugeJsonIsRefusedWithoutHurtingTheRoom() throws Exception {
        try (TestClient attacker = TestClient.connect(chatUri("Nester"))) {
            String attackerId = attacker.next("welcome").path("id").asString();
            List<Case> cases = List.of(
                    refused("{\"type\":\"ping\",\"x\":" + "[".repeat(30_000) + "]".repeat(30_000) + "}", "invalid_json", null),
                    refused("{\"type\":\"ping\",\"x\":" + "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000) + "}", "invalid_json", null),
                    // Unknown fields are ignored, however deep, as long as the parser's limit holds.
                    accepted("{\"type\":\"ping\",\"x\":" + "[".repeat(400) + "]".repeat(400) + "}", "pong", null),
                    refused("{\"type\":\"message\",\"text\":\"" + "h".repeat(65_000) + "\"}", "text_too_long", null));
            play(attacker, attackerId, cases);
        }
        // One past the frame limit (65,536 characters) closes that connection alone, with 1009.
        try (TestClient tooBig = TestClient.connect(chatUri("TooBig"))) {
            tooBig.next("welcome");
            tooBig.send("x".repeat(65_537));
            assertThat(tooBig.awaitClose().getCode()).isEqualTo(1009);
        }
        assertRoomStillWorks();
    }

    @Test
    void aFourByteCharacterSplitAcrossContinuationFramesIsReassembled() throws Exception {
        try (RawWebSocket raw = rawChat("Splitter")) {
            byte[] head = "{\"type\":\"message\",\"cid\":\"split-1\",\"text\":\"a".getBytes(StandardCharsets.UTF_8);
            byte[] tail = "b\"}".getBytes(StandardCharsets.UTF_8);
            byte[] whole = concat(head, EMOJI_UTF8, tail);
            int inside = head.length + 2;
            raw.send(RawWebSocket.OPCODE_TEXT, false, Arrays.copyOfRange(whole, 0, inside));
            raw.send(RawWebSocket.OPCODE_CONTINUATION, true, Arrays.copyOfRange(whole, inside, whole.length));
            assertThat(JSON.readTree(raw.nextTextContaining("split-1")).path("text").asString()).isEqualTo("a" + EMOJI + "b");
            assertThat(listener.next(e -> "split-1".equals(e.path("cid").asString()), "the split message")
                    .path("text").asString()).isEqualTo("a" + EMOJI + "b");

            // One byte per fragment: every boundary falls inside the character.
            byte[] second = concat("{\"type\":\"message\",\"cid\":\"split-2\",\"text\":\"".getBytes(StandardCharsets.UTF_8),
                    EMOJI_UTF8, "\"}".getBytes(StandardCharsets.UTF_8));
            int start = second.length - 2 - EMOJI_UTF8.length;
            raw.send(RawWebSocket.OPCODE_TEXT, false, Arrays.copyOfRange(second, 0, start + 1));
            for (int i = start + 1; i < start + EMOJI_UTF8.length; i++) {
                raw.send(RawWebSocket.OPCODE_CONTINUATION, false, new byte[] {second[i]});
            }
            raw.send(RawWebSocket.OPCODE_CONTINUATION, true, Arrays.copyOfRange(second, start + EMOJI_UTF8.length, second.length));
            assertThat(JSON.readTree(raw.nextTextContaining("split-2")).path("text").asString()).isEqualTo(EMOJI);
        }
        assertRoomStillWorks();
    }

    @Test
    void textFramesThatAreNotUtf8CloseThatConnectionAloneWith1007() throws Exception {
        List<byte[]> invalid = List.of(
                new byte[] {'x', (byte) 0xFF, 'y'},
                new byte[] {'x', (byte) 0xED, (byte) 0xA0, (byte) 0x80, 'y'}, // an encoded surrogate (CESU-8)
                new byte[] {(byte) 0xC0, (byte) 0xAF}, // an overlong '/'
                new byte[] {'a', (byte) 0xF0, (byte) 0x9F}); // a message that ends inside a character
        for (byte[] bytes : invalid) {
            try (RawWebSocket raw = rawChat("Mangler")) {
                raw.send(RawWebSocket.OPCODE_TEXT, true, bytes);
                assertThat(raw.awaitCloseCode()).as("close code for %s", Arrays.toString(bytes)).isEqualTo(1007);
            }
            assertRoomStillWorks();
        }
        try (RawWebSocket raw = rawChat("Fragmenter")) {
            raw.send(RawWebSocket.OPCODE_TEXT, false, new byte[] {'a', (byte) 0xF0, (byte) 0x9F});
            raw.send(RawWebSocket.OPCODE_CONTINUATION, true, new byte[] {'b'});
            assertThat(raw.awaitCloseCode()).isEqualTo(1007);
        }
        assertRoomStillWorks();
    }

    // ---- /echo ---------------------------------------------------------------------------------

    @Test
    void theEchoEndpointReassemblesSplitCharactersAndClosesOnBytesThatAreNotUtf8() throws Exception {
        try (RawWebSocket echo = rawEcho()) {
            byte[] text = concat("a".getBytes(StandardCharsets.UTF_8), EMOJI_UTF8, "b".getBytes(StandardCharsets.UTF_8));
            echo.send(RawWebSocket.OPCODE_TEXT, false, Arrays.copyOfRange(text, 0, 3));
            echo.send(RawWebSocket.OPCODE_CONTINUATION, true, Arrays.copyOfRange(text, 3, text.length));
            assertThat(echo.nextFrame().text()).isEqualTo(EchoWebSocketHandler.PREFIX + "a" + EMOJI + "b");

            String strange = "nul \u0000 nonchar \uFFFE \uDBFF\uDFFF esc \u001b";
            echo.sendText(strange);
            assertThat(echo.nextFrame().text()).isEqualTo(EchoWebSocketHandler.PREFIX + strange);

            echo.sendText("e".repeat(65_536));
            String echoed = echo.nextFrame().text();
            assertThat(echoed).startsWith(EchoWebSocketHandler.PREFIX + "eee");
            assertThat(echoed.length()).isEqualTo(EchoWebSocketHandler.PREFIX.length() + 65_536);

            echo.send(RawWebSocket.OPCODE_TEXT, true, new byte[] {'x', (byte) 0xED, (byte) 0xB0, (byte) 0x80});
            assertThat(echo.awaitCloseCode()).isEqualTo(1007);
        }
        try (RawWebSocket echo = rawEcho()) {
            echo.sendText("e".repeat(65_537));
            assertThat(echo.awaitCloseCode()).isEqualTo(1009);
        }
        assertRoomStillWorks();
    }

    // ---- the handshake -------------------------------------------------------------------------

    @Test
    void handshakeParametersAreDecodedStrictlyAndCheckedAtTheirLimits() throws Exception {
        String longName = "N".repeat(32);
        String wideName = WIDE_LETTER.repeat(32);
        Map<String, String> answers = new java.util.LinkedHashMap<>();
        answers.put("name=%00", "invalid_text");
        answers.put("name=Bob%00", "invalid_text");
        answers.put("name=%ED%A0%80", "invalid_text");
        answers.put("name=%FF", "invalid_text");
        answers.put("name=%F0%9F", "invalid_text");
        // A stray '%' reaches the server as a literal percent sign (the servlet request's URI quotes it), which no name has.
        answers.put("name=%", "invalid_name");
        answers.put("name=%zz", "invalid_name");
        answers.put("room=%00", "invalid_text");
        answers.put("room=a%ED%B0%80", "invalid_text");
        answers.put("name=" + longName, "101");
        answers.put("name=" + longName + "N", "invalid_name");
        answers.put("name=" + percentEncoded(wideName), "101");
        answers.put("name=" + percentEncoded(wideName + WIDE_LETTER), "invalid_name");
        answers.put("name=%EF%BF%BE", "invalid_name"); // a noncharacter is valid text, but no letter
        answers.put("room=" + "r".repeat(64), "101");
        answers.put("room=" + "r".repeat(65), "invalid_room");
        answers.put("since=9223372036854775807", "101");
        answers.put("since=9223372036854775808", "invalid_command");
        answers.put("since=-9223372036854775808", "invalid_command");
        answers.put("since=1e308", "invalid_command");
        answers.put("since=-0", "101");
        answers.put("since=1.0", "invalid_command");
        for (Map.Entry<String, String> answer : answers.entrySet()) {
            String query = answer.getKey().startsWith("room=") ? answer.getKey() : "room=" + ROOM + "&" + answer.getKey();
            try (RawWebSocket ws = RawWebSocket.handshake(port, "/chat?" + query, Map.of())) {
                if (answer.getValue().equals("101")) {
                    assertThat(ws.status()).as(query).isEqualTo(101);
                } else {
                    assertThat(ws.status()).as(query).isEqualTo(400);
                    assertThat(ws.body()).as(query).startsWith(answer.getValue() + ":");
                }
            }
            assertRoomStillWorks();
        }
    }

    // ---- the HTTP API --------------------------------------------------------------------------

    @Test
    void thePublishApiRefusesTextThatCannotBeStoredAndAcceptsEveryOtherValue() throws Exception {
        ApiClient api = new ApiClient(port);
        String path = "/api/rooms/" + ROOM + "/messages";
        String[] key = {"X-API-Key", API_KEY};
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("{\"text\":\"x\\ud800y\"}", "invalid_text");
        refused.put("{\"text\":\"x\\udc00\\ud800\"}", "invalid_text");
        refused.put("{\"text\":\"a\\u0000b\"}", "invalid_text");
        refused.put("{\"text\":\"ok\",\"from\":\"CI\\ud800\"}", "invalid_text");
        refused.put("{\"text\":\"ok\",\"data\":{\"k\":\"\\udc00\"}}", "invalid_text");
        refused.put("{\"text\":\"ok\",\"data\":{\"k\\u0000\":1}}", "invalid_text");
        refused.put("{\"text\":\"ok\",\"data\":{\"list\":[1,[\"deep \\ud83d\"]]}}", "invalid_text");
        refused.put("{\"text\":\"" + "t".repeat(4001) + "\"}", "text_too_long");
        refused.put("{\"text\":\"" + "t".repeat(1_000_000) + "\"}", "text_too_long");
        refused.put("{\"text\":\"ok\",\"from\":\"" + "f".repeat(33) + "\"}", "invalid_name");
        refused.put("{\"text\":\"ok\",\"data\":{\"big\":\"" + "d".repeat(1_000_000) + "\"}}", "data_too_large");
        refused.put("{\"text\":\"ok\",\"data\":" + "{\"a\":".repeat(33) + "1" + "}".repeat(33) + "}", "data_too_large");
        refused.put("{\"text\":\"ok\",\"data\":" + "{\"a\":".repeat(499) + "1" + "}".repeat(499) + "}", "data_too_large");
        refused.put("{\"text\":\"ok\",\"data\":" + "[".repeat(5000) + "]".repeat(5000) + "}", "invalid_json");
        refused.put("{\"text\":\"ok\",\"data\":{\"n\":" + "1".repeat(1001) + "}}", "invalid_json");
        refused.put("[]", "invalid_json");
        for (Map.Entry<String, String> attack : refused.entrySet()) {
            ApiClient.Response response = api.post(path, attack.getKey(), key);
            assertThat(response.status()).as(abbreviated(attack.getKey())).isEqualTo(400);
            assertThat(response.json().path("code").asString()).as(abbreviated(attack.getKey())).isEqualTo(attack.getValue());
            assertRoomStillWorks();
        }
        ApiClient.Response notUtf8 = api.post(path, new byte[] {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xFF, '"', '}'}, key);
        assertThat(notUtf8.status()).isEqualTo(400);
        assertThat(notUtf8.json().path("code").asString()).isEqualTo("invalid_json");
        assertThat(api.post("/api/rooms/" + "r".repeat(65) + "/messages", "{\"text\":\"ok\"}", key).status()).isEqualTo(400);
        assertRoomStillWorks();

        List<String> accepted = List.of(
                "{\"text\":\"" + "t".repeat(4000) + "\",\"from\":\"" + "f".repeat(32) + "\"}",
                "{\"text\":\"\\ufffe \\ufdd0 \\ud83f\\udfff\",\"from\":\"CI\"}",
                "{\"text\":\"numbers\",\"data\":{\"max\":9223372036854775807,\"min\":-9223372036854775808,"
                        + "\"over\":9223372036854775808,\"huge\":1e308,\"beyond\":1e400,\"negativeZero\":-0,\"one\":1.0}}",
                "{\"text\":\"nested\",\"data\":" + "{\"a\":".repeat(32) + "1" + "}".repeat(32) + "}");
        for (String body : accepted) {
            ApiClient.Response response = api.post(path, body, key);
            assertThat(response.status()).as(abbreviated(body)).isEqualTo(200);
            long seq = response.json().path("seq").asLong();
            listener.next(e -> e.path("seq").asLong() == seq, "the published message " + seq);
            assertRoomStillWorks();
        }
        assertThat(api.post("/api/rooms/" + "r".repeat(64) + "/messages", "{\"text\":\"ok\"}", key).status()).isEqualTo(200);
    }

    @Test
    void theJobApiRefusesLabelsThatCannotBeSentAndNumbersOutOfRange() throws Exception {
        ApiClient api = new ApiClient(port);
        String[] key = {"X-API-Key", API_KEY};
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("{\"room\":\"" + ROOM + "\",\"label\":\"l\\ud800\"}", "invalid_text");
        refused.put("{\"room\":\"" + ROOM + "\",\"label\":\"l\\u0000\"}", "invalid_text");
        refused.put("{\"room\":\"r\\ud800\"}", "invalid_text");
        refused.put("{\"room\":\"" + ROOM + "\",\"label\":\"" + "l".repeat(65) + "\"}", "invalid_job");
        refused.put("{\"room\":\"" + ROOM + "\",\"chunks\":9223372036854775807}", "invalid_json");
        refused.put("{\"room\":\"" + ROOM + "\",\"chunks\":9223372036854775808}", "invalid_json");
        refused.put("{\"room\":\"" + ROOM + "\",\"chunks\":1e308}", "invalid_json");
        refused.put("{\"room\":\"" + ROOM + "\",\"chunks\":1.5}", "invalid_json");
        refused.put("{\"room\":\"" + ROOM + "\",\"intervalMs\":50.0}", "invalid_json");
        refused.put("{\"room\":\"" + ROOM + "\",\"chunks\":-0}", "invalid_job");
        for (Map.Entry<String, String> attack : refused.entrySet()) {
            ApiClient.Response response = api.post("/api/jobs", attack.getKey(), key);
            assertThat(response.status()).as(attack.getKey()).isEqualTo(400);
            assertThat(response.json().path("code").asString()).as(attack.getKey()).isEqualTo(attack.getValue());
            assertRoomStillWorks();
        }
        String label = "\uFFFE" + "l".repeat(63);
        ApiClient.Response started = api.post("/api/jobs",
                "{\"room\":\"" + ROOM + "\",\"chunks\":1,\"intervalMs\":50,\"label\":\"\\ufffe" + "l".repeat(63) + "\"}", key);
        assertThat(started.status()).isEqualTo(202);
        String jobId = started.json().path("jobId").asString();
        JsonNode done = listener.next(e -> jobId.equals(e.path("jobId").asString()) && "done".equals(e.path("state").asString()),
                "the room job to finish");
        assertThat(done.path("label").asString()).isEqualTo(label);
        assertRoomStillWorks();
    }

    // ---- text stored before the rule -------------------------------------------------------------

    /**
     * The old message as it may come back: a store that keeps a lone surrogate (the memory store) has
     * the codec replace it with U+FFFD on the way out; SQLite's and PostgreSQL's drivers already wrote
     * it as '?' when it was stored.
     */
    private static final String REPAIRED = "cut [\uFFFD?] here [\uFFFD?]";

    @Test
    void aMessageStoredBeforeTheRuleIsSentWithAReplacementCharacterAndBreaksNoJoin() throws Exception {
        long seq = store.append(new NewMessage(ROOM, "old-client", "Old", "cut \uD83D here \uDE00", "old-cid", null)).message().seq();

        assertRoomStillWorks();
        try (TestClient newcomer = TestClient.connect(chatUri("Late"))) {
            JsonNode welcome = newcomer.next("welcome");
            JsonNode old = null;
            for (JsonNode message : welcome.path("history")) {
                if (message.path("seq").asLong() == seq) {
                    old = message;
                }
            }
            assertThat(old).as("the old message in the welcome's history").isNotNull();
            assertThat(old.path("text").asString()).matches(REPAIRED);
            newcomer.sendJson(Map.of("type", "history", "before", seq + 1, "limit", 1));
            assertThat(newcomer.next("history").path("messages").get(0).path("text").asString()).matches(REPAIRED);
        }
        HttpResponse<String> read = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/api/rooms/" + ROOM + "/messages?after=" + (seq - 1) + "&limit=1")).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(read.body()).path("messages").get(0).path("text").asString()).matches(REPAIRED);
    }

    // ---- the bystander and the newcomer ----------------------------------------------------------

    /** The bystander's message is acknowledged to it and delivered to the listener; a newcomer gets its welcome. */
    private void assertRoomStillWorks() throws Exception {
        String cid = "still-here-" + counter.incrementAndGet();
        bystander.sendJson(Map.of("type", "message", "text", "still chatting", "cid", cid));
        JsonNode ack = bystander.next(e -> cid.equals(e.path("cid").asString()), "the bystander's acknowledgement of " + cid);
        assertThat(ack.path("type").asString()).isEqualTo("message");
        assertThat(ack.path("fromId").asString()).isEqualTo(bystanderId);
        listener.next(e -> cid.equals(e.path("cid").asString()), "the bystander's message " + cid + " at the listener");
        try (TestClient newcomer = TestClient.connect(chatUri("Newcomer"))) {
            assertThat(newcomer.next("welcome").path("room").asString()).isEqualTo(ROOM);
        }
        assertThat(bystander.isOpen()).isTrue();
        assertThat(listener.isOpen()).isTrue();
    }

    // ---- cases ---------------------------------------------------------------------------------

    /**
     * A frame and its answer: {@code error} with {@code code} (and the refused message's {@code cid}, or none),
     * or an event of the type {@code answer}, whose {@code text}, if given, must come back exactly.
     */
    private record Case(String frame, String answer, String code, String detail) {
    }

    private static Case refused(String frame, String code, String cid) {
        return new Case(frame, "error", code, cid);
    }

    private static Case accepted(String frame, String answer, String text) {
        return new Case(frame, answer, null, text);
    }

    private void play(TestClient attacker, String attackerId, List<Case> cases) throws Exception {
        for (Case c : cases) {
            String what = abbreviated(c.frame());
            attacker.send(c.frame());
            JsonNode answer = attacker.next(e -> isAnswer(e, attackerId), "the answer to " + what);
            assertThat(answer.path("type").asString()).as(what + " answered with " + abbreviated(answer.toString())).isEqualTo(c.answer());
            if (c.code() != null) {
                assertThat(answer.path("code").asString()).as(what).isEqualTo(c.code());
                assertThat(answer.path("cid").isMissingNode() ? null : answer.path("cid").asString()).as(what + " cid").isEqualTo(c.detail());
            } else if (c.detail() != null) {
                assertThat(answer.path("text").asString()).as(what).isEqualTo(c.detail());
            }
            if (c.answer().equals("progress")) {
                String jobId = answer.path("jobId").asString();
                attacker.next(e -> jobId.equals(e.path("jobId").asString()) && "done".equals(e.path("state").asString()),
                        "the end of job " + jobId);
            }
            if (c.answer().equals("welcome") && !ROOM.equals(answer.path("room").asString())) {
                attacker.send(join(ROOM, null));
                attacker.next("welcome");
            }
            assertThat(attacker.isOpen()).as("the attacker's connection after " + what).isTrue();
            assertRoomStillWorks();
        }
    }

    /** The attacker's own answers: not what the room's other members say or do. */
    private static boolean isAnswer(JsonNode event, String attackerId) {
        return switch (event.path("type").asString()) {
            case "error", "pong", "history", "welcome" -> true;
            case "message" -> attackerId.equals(event.path("fromId").asString());
            case "presence" -> "renamed".equals(event.path("event").asString())
                    && attackerId.equals(event.path("member").path("id").asString());
            case "progress" -> event.path("room").isMissingNode();
            default -> false;
        };
    }

    private static String message(String jsonText, String cid) {
        return "{\"type\":\"message\",\"text\":\"" + jsonText + "\"" + (cid == null ? "" : ",\"cid\":\"" + cid + "\"") + "}";
    }

    private static String nick(String name) {
        return "{\"type\":\"nick\",\"name\":\"" + name + "\"}";
    }

    private static String join(String room, String since) {
        return "{\"type\":\"join\",\"room\":\"" + room + "\"" + (since == null ? "" : ",\"since\":" + since) + "}";
    }

    private static String history(String field, String value) {
        return "{\"type\":\"history\",\"" + field + "\":" + value + "}";
    }

    private String chatUri(String name) {
        return "ws://localhost:" + port + "/chat?room=" + ROOM + "&name=" + name;
    }

    private RawWebSocket rawChat(String name) throws Exception {
        RawWebSocket raw = RawWebSocket.handshake(port, "/chat?room=" + ROOM + "&name=" + name, Map.of());
        assertThat(raw.status()).isEqualTo(101);
        raw.nextTextContaining("\"welcome\"");
        return raw;
    }

    private RawWebSocket rawEcho() throws Exception {
        RawWebSocket raw = RawWebSocket.handshake(port, "/echo", Map.of());
        assertThat(raw.status()).isEqualTo(101);
        return raw;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static String percentEncoded(String text) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            encoded.append(String.format("%%%02X", b & 0xFF));
        }
        return encoded.toString();
    }

    private static String abbreviated(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "… (" + s.length() + " chars)";
    }
}
