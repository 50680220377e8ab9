package io.wschat.websocket;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import io.wschat.support.TestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ChatEndpointTests {

    @LocalServerPort
    int port;

    private TestClient join(String query) throws Exception {
        return TestClient.connect("ws://localhost:" + port + "/chat?" + query);
    }

    @Test
    void welcomeSaysWhoAndWhereAndShowsTheHandshake() throws Exception {
        try (TestClient alice = join("room=welcome-test&name=Alice")) {
            JsonNode welcome = alice.next();
            assertThat(welcome.path("type").asString()).isEqualTo("welcome");
            assertThat(welcome.path("name").asString()).isEqualTo("Alice");
            assertThat(welcome.path("room").asString()).isEqualTo("welcome-test");
            assertThat(welcome.path("id").asString()).isNotBlank();
            assertThat(welcome.path("members")).hasSize(1);
            JsonNode handshake = welcome.path("handshake");
            assertThat(handshake.path("requestLine").asString()).startsWith("GET /chat?room=welcome-test&name=Alice HTTP/1.1");
            assertThat(handshake.path("requestHeaders").toString()).containsIgnoringCase("\"upgrade\":\"websocket\"")
                    .containsIgnoringCase("sec-websocket-key");
            assertThat(handshake.path("secWebSocketAccept").asString()).hasSize(28);
        }
    }

    @Test
    void defaultsToLobbyAndAGuestName() throws Exception {
        try (TestClient guest = TestClient.connect("ws://localhost:" + port + "/chat")) {
            JsonNode welcome = guest.next("welcome");
            assertThat(welcome.path("room").asString()).isEqualTo("lobby");
            assertThat(welcome.path("name").asString()).matches("guest-\\d{4}");
        }
    }

    @Test
    void messageReachesEveryMemberOfTheRoomIncludingTheSenderButNoOtherRoom() throws Exception {
        try (TestClient alice = join("room=r1&name=Alice");
             TestClient bob = join("room=r1&name=Bob");
             TestClient carol = join("room=r2&name=Carol")) {
            alice.next("welcome");
            bob.next("welcome");
            carol.next("welcome");
            alice.sendJson(Map.of("type", "message", "text", "hello r1"));
            JsonNode atBob = bob.next("message");
            JsonNode atAlice = alice.next("message");
            assertThat(atBob.path("text").asString()).isEqualTo("hello r1");
            assertThat(atBob.path("from").asString()).isEqualTo("Alice");
            assertThat(atBob.path("room").asString()).isEqualTo("r1");
            assertThat(atBob.path("seq").asLong()).isEqualTo(atAlice.path("seq").asLong()).isPositive();
            assertThat(atBob.path("ts").asLong()).isPositive();
            carol.sendJson(Map.of("type", "ping"));
            carol.next("pong");
            assertThat(carol.pending()).isZero();
        }
    }

    @Test
    void plainTextFrameIsAChatMessage() throws Exception {
        try (TestClient alice = join("room=plain&name=Alice")) {
            alice.next("welcome");
            alice.send("hi there");
            assertThat(alice.next("message").path("text").asString()).isEqualTo("hi there");
        }
    }

    @Test
    void sequenceNumbersArriveInOrderWithoutGaps() throws Exception {
        try (TestClient alice = join("room=seq&name=Alice"); TestClient bob = join("room=seq&name=Bob")) {
            alice.next("welcome");
            bob.next("welcome");
            // 40 each: the default rate limit's burst.
            for (int i = 0; i < 80; i++) {
                (i % 2 == 0 ? alice : bob).send("m" + i);
            }
            List<Long> seen = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                seen.add(bob.next("message").path("seq").asLong());
            }
            for (int i = 1; i < seen.size(); i++) {
                assertThat(seen.get(i)).isEqualTo(seen.get(i - 1) + 1);
            }
        }
    }

    @Test
    void joinMovesToAnotherRoomAndTellsBothRooms() throws Exception {
        try (TestClient alice = join("room=a&name=Alice"); TestClient bob = join("room=a&name=Bob");
             TestClient carol = join("room=b&name=Carol")) {
            alice.next("welcome");
            bob.next("welcome");
            carol.next("welcome");
            bob.sendJson(Map.of("type", "join", "room", "b"));
            JsonNode welcome = bob.next("welcome");
            assertThat(welcome.path("room").asString()).isEqualTo("b");
            assertThat(names(welcome.path("members"))).containsExactly("Carol", "Bob");
            JsonNode left = alice.next(e -> "left".equals(e.path("event").asString()), "a 'left' presence event");
            assertThat(left.path("member").path("name").asString()).isEqualTo("Bob");
            assertThat(left.path("count").asInt()).isEqualTo(1);
            JsonNode joined = carol.next(e -> "joined".equals(e.path("event").asString())
                    && "Bob".equals(e.path("member").path("name").asString()), "Bob joining");
            assertThat(joined.path("room").asString()).isEqualTo("b");
        }
    }

    @Test
    void nickRenamesAndTellsTheRoom() throws Exception {
        try (TestClient alice = join("room=nick&name=Alice"); TestClient bob = join("room=nick&name=Bob")) {
            alice.next("welcome");
            bob.next("welcome");
            alice.sendJson(Map.of("type", "nick", "name", "Alicia"));
            JsonNode renamed = bob.next(e -> "renamed".equals(e.path("event").asString()), "a rename");
            assertThat(renamed.path("previousName").asString()).isEqualTo("Alice");
            assertThat(renamed.path("member").path("name").asString()).isEqualTo("Alicia");
            assertThat(renamed.path("count").asInt()).isEqualTo(2);
            alice.send("as Alicia");
            assertThat(bob.next("message").path("from").asString()).isEqualTo("Alicia");
        }
    }

    @Test
    void pingIsAnsweredWithServerTimeAndTypingReachesOthers() throws Exception {
        try (TestClient alice = join("room=pt&name=Alice"); TestClient bob = join("room=pt&name=Bob")) {
            alice.next("welcome");
            bob.next("welcome");
            long before = System.currentTimeMillis();
            alice.sendJson(Map.of("type", "ping", "id", "p1"));
            JsonNode pong = alice.next("pong");
            assertThat(pong.path("id").asString()).isEqualTo("p1");
            assertThat(pong.path("serverTime").asLong()).isBetween(before - 1000, System.currentTimeMillis() + 1000);
            alice.sendJson(Map.of("type", "typing"));
            assertThat(bob.next("typing").path("member").path("name").asString()).isEqualTo("Alice");
        }
    }

    @Test
    void invalidCommandsGetAnErrorAndTheConnectionStaysOpen() throws Exception {
        try (TestClient alice = join("room=errors&name=Alice")) {
            alice.next("welcome");
            Map<String, String> cases = Map.of(
                    "{\"type\":", "invalid_json",
                    "{\"type\":\"dance\"}", "unknown_type",
                    "{\"text\":\"no type\"}", "invalid_command",
                    "{\"type\":\"message\"}", "invalid_command",
                    "{\"type\":\"join\",\"room\":\"no spaces allowed\"}", "invalid_room",
                    "{\"type\":\"nick\",\"name\":\"" + "x".repeat(33) + "\"}", "invalid_name",
                    "{\"type\":\"message\",\"text\":\"   \"}", "empty_text",
                    "{\"type\":\"message\",\"text\":\"" + "y".repeat(4001) + "\"}", "text_too_long");
            for (var c : cases.entrySet()) {
                alice.send(c.getKey());
                JsonNode error = alice.next("error");
                assertThat(error.path("code").asString()).as(c.getKey()).isEqualTo(c.getValue());
                assertThat(error.path("message").asString()).isNotBlank();
            }
            alice.send("still here");
            assertThat(alice.next("message").path("text").asString()).isEqualTo("still here");
        }
    }

    @Test
    void fiftyClientsInOneRoomEachReceiveEveryMessage() throws Exception {
        List<TestClient> clients = new ArrayList<>();
        try {
            JsonNode welcome = null;
            for (int i = 0; i < 50; i++) {
                TestClient c = join("room=fifty&name=user" + i);
                welcome = c.next("welcome");
                clients.add(c);
            }
            assertThat(welcome.path("members")).hasSize(50);
            assertThat(welcome.path("memberCount").asInt()).isEqualTo(50);
            assertThat(welcome.has("membersTruncated")).isFalse();
            for (int i = 0; i < 5; i++) {
                clients.get(i * 10).send("from " + i);
            }
            List<String> firstClientsOrder = null;
            for (TestClient c : clients) {
                List<String> texts = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    texts.add(c.next("message").path("text").asString());
                }
                assertThat(texts).containsExactlyInAnyOrder("from 0", "from 1", "from 2", "from 3", "from 4");
                if (firstClientsOrder == null) {
                    firstClientsOrder = texts;
                }
                assertThat(texts).as("every member sees the room in one order").isEqualTo(firstClientsOrder);
            }
        } finally {
            for (TestClient c : clients) {
                c.close();
            }
        }
    }

    private static List<String> names(JsonNode members) {
        List<String> names = new ArrayList<>();
        members.forEach(m -> names.add(m.path("name").asString()));
        return names;
    }
}
