package io.wschat.api;

import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;

import io.wschat.support.ApiClient;
import io.wschat.support.LiveServerTest;
import io.wschat.support.TestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

@LiveServerTest
class PublishApiTests {

    private static final String BEARER = "Bearer " + LiveServerTest.API_KEY;

    @LocalServerPort
    int port;

    ApiClient api;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
    }

    private TestClient join(String room, String name) throws Exception {
        TestClient client = TestClient.connect("ws://localhost:" + port + "/chat?room=" + room + "&name=" + name);
        client.next("welcome");
        return client;
    }

    /** Proves nothing but a pong was pending: the server answers in order, so anything sent before would come first. */
    private static void assertReceivesNothingMore(TestClient client) throws Exception {
        client.sendJson(Map.of("type", "ping"));
        JsonNode next = client.next(e -> Set.of("message", "pong").contains(e.path("type").asString()), "a message or pong");
        assertThat(next.path("type").asString()).isEqualTo("pong");
    }

    @Test
    void publishedMessageReachesEveryMemberOfThatRoomOnlyWithItsSequenceNumberAndData() throws Exception {
        try (TestClient alice = join("news", "Alice");
             TestClient bob = join("news", "Bob");
             TestClient carol = join("sports", "Carol")) {
            var response = api.post("/api/rooms/news/messages",
                    Map.of("text", "deploy finished", "from", "CI", "data", Map.of("build", 42, "ok", true)),
                    "Authorization", BEARER);

            assertThat(response.status()).isEqualTo(200);
            long seq = response.json().path("seq").asLong();
            assertThat(seq).isPositive();
            assertThat(response.json().path("room").asString()).isEqualTo("news");
            for (TestClient member : new TestClient[] {alice, bob}) {
                JsonNode message = member.next("message");
                assertThat(message.path("seq").asLong()).isEqualTo(seq);
                assertThat(message.path("text").asString()).isEqualTo("deploy finished");
                assertThat(message.path("from").asString()).isEqualTo("CI");
                assertThat(message.path("fromId").asString()).isEqualTo("api");
                assertThat(message.path("data").path("build").asInt()).isEqualTo(42);
                assertThat(message.path("data").path("ok").asBoolean()).isTrue();
            }
            assertReceivesNothingMore(carol);
        }
    }

    @Test
    void sharesTheRoomsSequenceWithMembersAndIsInTheHistory() throws Exception {
        try (TestClient alice = join("seq-room", "Alice")) {
            long first = api.post("/api/rooms/seq-room/messages", Map.of("text", "one"), "X-API-Key", LiveServerTest.API_KEY)
                    .json().path("seq").asLong();
            alice.sendJson(Map.of("type", "message", "text", "two"));
            long second = alice.next(e -> "two".equals(e.path("text").asString()), "Alice's message").path("seq").asLong();
            var third = api.post("/api/rooms/seq-room/messages", Map.of("text", "three"), "Authorization", BEARER);

            assertThat(third.status()).isEqualTo(200);
            assertThat(second).isEqualTo(first + 1);
            assertThat(third.json().path("seq").asLong()).isEqualTo(first + 2);
            assertThat(alice.next(e -> "three".equals(e.path("text").asString()), "the third").path("from").asString())
                    .isEqualTo("api");
        }
        try (TestClient late = join("seq-room", "Late")) {
            // join() consumed the welcome; ask again to look at its history.
            late.sendJson(Map.of("type", "join", "room", "seq-room", "since", 0));
            JsonNode history = late.next("welcome").path("history");
            assertThat(history).extracting(m -> m.path("text").asString()).containsExactly("one", "two", "three");
        }
    }

    @Test
    void refusesRequestsWithoutAValidKeyAndDeliversNothing() throws Exception {
        try (TestClient alice = join("guarded", "Alice")) {
            var none = api.post("/api/rooms/guarded/messages", Map.of("text", "sneaky"));
            var wrong = api.post("/api/rooms/guarded/messages", Map.of("text", "sneaky"), "Authorization", "Bearer not-the-key-at-all");
            var wrongHeader = api.post("/api/rooms/guarded/messages", Map.of("text", "sneaky"), "X-API-Key", LiveServerTest.API_KEY + "x");
            var invalidBody = api.post("/api/rooms/guarded/messages", "{not json");

            for (var refused : new ApiClient.Response[] {none, wrong, wrongHeader, invalidBody}) {
                assertThat(refused.status()).isEqualTo(401);
                assertThat(refused.contentType()).startsWith("application/problem+json");
                assertThat(refused.json().path("code").asString()).isEqualTo("unauthorized");
                assertThat(refused.raw().headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"wschat\"");
            }
            assertReceivesNothingMore(alice);
        }
    }

    @Test
    void validationErrorsAreProblemDetailsWithStableCodes() throws Exception {
        assertProblem(api.post("/api/rooms/lobby/messages", Map.of("text", "  "), "Authorization", BEARER), "empty_text");
        assertProblem(api.post("/api/rooms/lobby/messages", Map.of("from", "x"), "Authorization", BEARER), "empty_text");
        assertProblem(api.post("/api/rooms/lobby/messages", Map.of("text", "x".repeat(4001)), "Authorization", BEARER), "text_too_long");
        assertProblem(api.post("/api/rooms/no%20spaces/messages", Map.of("text", "hi"), "Authorization", BEARER), "invalid_room");
        assertProblem(api.post("/api/rooms/lobby/messages", Map.of("text", "hi", "from", "<script>"), "Authorization", BEARER), "invalid_name");
        assertProblem(api.post("/api/rooms/lobby/messages", "{\"text\": ", "Authorization", BEARER), "invalid_json");
        assertProblem(api.post("/api/rooms/lobby/messages", Map.of("text", "hi", "data", Map.of("blob", "x".repeat(17_000))),
                "Authorization", BEARER), "data_too_large");
    }

    private static void assertProblem(ApiClient.Response response, String code) {
        assertThat(response.status()).as(code).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().path("code").asString()).isEqualTo(code);
        assertThat(response.json().path("status").asInt()).isEqualTo(400);
        assertThat(response.json().path("detail").asString()).isNotBlank();
    }

    /** The only test using the second key: it empties that key's bucket. */
    @Test
    void eachKeyIsRateLimited() throws Exception {
        ApiClient.Response limited = null;
        for (int i = 0; i < 500 && limited == null; i++) {
            var response = api.post("/api/rooms/rate-test/messages", Map.of("text", "n" + i), "X-API-Key", LiveServerTest.OTHER_API_KEY);
            if (response.status() == 429) {
                limited = response;
            } else {
                assertThat(response.status()).isEqualTo(200);
            }
        }
        assertThat(limited).as("a 429 within 500 requests").isNotNull();
        assertThat(limited.json().path("code").asString()).isEqualTo("rate_limited");
        assertThat(limited.raw().headers().firstValue("Retry-After")).isPresent();
    }
}
