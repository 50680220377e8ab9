package io.wschat.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.wschat.support.TestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** The read API, over real HTTP, next to real WebSocket clients filling the rooms. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RoomsApiTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode getJson(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).get().asString().contains("json");
        return JSON.readTree(response.body());
    }

    private static List<Long> seqs(JsonNode page) {
        List<Long> seqs = new ArrayList<>();
        page.path("messages").forEach(m -> seqs.add(m.path("seq").asLong()));
        return seqs;
    }

    private static TestClient fill(int port, String room, int count) throws Exception {
        TestClient client = TestClient.connect("ws://localhost:" + port + "/chat?name=Filler&room=" + room);
        client.next("welcome");
        for (int i = 1; i <= count; i++) {
            client.send("m" + i);
        }
        for (int i = 1; i <= count; i++) {
            client.next("message");
        }
        return client;
    }

    @Test
    void shouldListRoomsWithMembersAndLastSequencePageByPage() throws Exception {
        try (TestClient a = fill(port, "api-list-a", 3); TestClient b = fill(port, "api-list-b", 0)) {
            fill(port, "api-list-c", 2).close();
            JsonNode page = getJson("/api/rooms?after=api-list-&limit=2");
            assertThat(page.path("rooms")).hasSize(2);
            assertThat(page.path("rooms").get(0).path("room").asString()).isEqualTo("api-list-a");
            assertThat(page.path("rooms").get(0).path("members").asInt()).isEqualTo(1);
            assertThat(page.path("rooms").get(0).path("lastSeq").asLong()).isEqualTo(3);
            assertThat(page.path("rooms").get(1).path("room").asString()).as("a room with members but no messages")
                    .isEqualTo("api-list-b");
            assertThat(page.path("rooms").get(1).path("lastSeq").asLong()).isZero();
            assertThat(page.path("hasMore").asBoolean()).isTrue();
            JsonNode next = getJson("/api/rooms?after=api-list-b&limit=2");
            assertThat(next.path("rooms").get(0).path("room").asString()).as("a room with messages but nobody in it")
                    .isEqualTo("api-list-c");
            assertThat(next.path("rooms").get(0).path("members").asInt()).isZero();
            assertThat(next.path("rooms").get(0).path("lastSeq").asLong()).isEqualTo(2);
        }
    }

    @Test
    void shouldPageMessagesBackwardsAndForwards() throws Exception {
        fill(port, "api-pages", 25).close();
        assertThat(get("/api/rooms/api-pages/messages").headers().firstValue("Content-Type")).get().asString()
                .startsWith("application/json");
        JsonNode latest = getJson("/api/rooms/api-pages/messages?limit=10");
        assertThat(latest.path("room").asString()).isEqualTo("api-pages");
        assertThat(latest.path("lastSeq").asLong()).isEqualTo(25);
        assertThat(seqs(latest)).containsExactly(16L, 17L, 18L, 19L, 20L, 21L, 22L, 23L, 24L, 25L);
        assertThat(latest.path("hasMore").asBoolean()).isTrue();
        assertThat(latest.path("messages").get(0).path("text").asString()).isEqualTo("m16");
        assertThat(latest.path("messages").get(0).path("from").asString()).isEqualTo("Filler");
        JsonNode older = getJson("/api/rooms/api-pages/messages?before=6&limit=10");
        assertThat(seqs(older)).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(older.path("hasMore").asBoolean()).isFalse();
        JsonNode forwards = getJson("/api/rooms/api-pages/messages?after=20&limit=3");
        assertThat(seqs(forwards)).containsExactly(21L, 22L, 23L);
        assertThat(forwards.path("hasMore").asBoolean()).isTrue();
        JsonNode window = getJson("/api/rooms/api-pages/messages?after=20&before=23");
        assertThat(seqs(window)).containsExactly(21L, 22L);
        assertThat(window.path("hasMore").asBoolean()).isFalse();
        assertThat(seqs(getJson("/api/rooms/api-pages/messages?after=25"))).isEmpty();
    }

    @Test
    void shouldAnswerBadParametersWithA400ProblemThatSaysWhy() throws Exception {
        fill(port, "api-bad", 1).close();
        List<String> bad = List.of("limit=0", "limit=201", "limit=ten", "before=0", "after=-1", "before=abc",
                "after=5&before=5");
        for (String query : bad) {
            HttpResponse<String> response = get("/api/rooms/api-bad/messages?" + query);
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("application/problem+json");
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.path("status").asInt()).isEqualTo(400);
            assertThat(problem.path("detail").asString()).as(query).isNotBlank();
            assertThat(problem.path("code").asString()).as(query).isIn("invalid_parameter", "bad_request");
        }
        HttpResponse<String> badRoom = get("/api/rooms/no%20spaces%21/messages");
        assertThat(badRoom.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badRoom.body()).path("detail").asString()).contains("room");
        assertThat(JSON.readTree(badRoom.body()).path("code").asString()).isEqualTo("invalid_room");
        assertThat(get("/api/rooms?limit=0").statusCode()).isEqualTo(400);
    }

    @Test
    void shouldAnswerAnUnknownRoomWith404() throws Exception {
        HttpResponse<String> response = get("/api/rooms/nobody-was-ever-here/messages");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("application/problem+json");
        assertThat(JSON.readTree(response.body()).path("detail").asString()).contains("nobody-was-ever-here");
        assertThat(JSON.readTree(response.body()).path("code").asString()).isEqualTo("unknown_room");
    }

    @Test
    void shouldReportTheDatabaseInHealthAndTimeTheStore() throws Exception {
        fill(port, "api-metrics", 1).close();
        assertThat(getJson("/actuator/health").path("status").asString()).isEqualTo("UP");
        assertThat(getJson("/actuator/health/db").path("status").asString()).isEqualTo("UP");
        JsonNode appends = getJson("/actuator/metrics/chat.store.latency?tag=op:append");
        assertThat(appends.path("measurements").get(0).path("value").asDouble()).as("count").isPositive();
        assertThat(getJson("/actuator/metrics/chat.store.latency?tag=op:read").path("measurements").get(0)
                .path("value").asDouble()).isPositive();
    }
}
