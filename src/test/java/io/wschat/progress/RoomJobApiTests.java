package io.wschat.progress;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;

import io.wschat.support.ApiClient;
import io.wschat.support.LiveServerTest;
import io.wschat.support.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@LiveServerTest
class RoomJobApiTests {

    private static final String[] KEY = {"Authorization", "Bearer " + LiveServerTest.API_KEY};

    @LocalServerPort
    int port;

    @Autowired
    ProgressJobs jobs;

    @AfterEach
    void noJobOutlivesItsTest() {
        await().atMost(Duration.ofSeconds(5)).until(() -> jobs.runningJobs() == 0);
    }

    private TestClient join(String room) throws Exception {
        TestClient client = TestClient.connect("ws://localhost:" + port + "/chat?room=" + room);
        client.next("welcome");
        return client;
    }

    @Test
    void everyMemberOfTheRoomSeesTheJobToTheEnd() throws Exception {
        try (TestClient alice = join("builds");
             TestClient bob = join("builds");
             TestClient carol = join("elsewhere")) {
            var started = new ApiClient(port).post("/api/jobs", Map.of("room", "builds", "chunks", 4, "intervalMs", 50, "label", "nightly"), KEY);
            assertThat(started.status()).isEqualTo(202);
            String jobId = started.json().path("jobId").asString();

            for (TestClient member : new TestClient[] {alice, bob}) {
                JsonNode event;
                int chunk = 0;
                do {
                    event = member.next("progress");
                    assertThat(event.path("jobId").asString()).isEqualTo(jobId);
                    assertThat(event.path("room").asString()).isEqualTo("builds");
                    assertThat(event.path("chunk").asInt()).isEqualTo(chunk++);
                } while ("running".equals(event.path("state").asString()));
                assertThat(event.path("state").asString()).isEqualTo("done");
                assertThat(event.path("percent").asDouble()).isEqualTo(100.0);
            }
            carol.sendJson(Map.of("type", "ping"));
            assertThat(carol.next(e -> Set.of("progress", "pong").contains(e.path("type").asString()), "progress or pong")
                    .path("type").asString()).isEqualTo("pong");
        }
    }

    @Test
    void aRoomJobCanBeCancelled() throws Exception {
        ApiClient api = new ApiClient(port);
        try (TestClient alice = join("cancel-room")) {
            String jobId = api.post("/api/jobs", Map.of("room", "cancel-room", "chunks", 1000, "intervalMs", 50), KEY)
                    .json().path("jobId").asString();
            alice.next("progress");

            assertThat(api.delete("/api/jobs/" + jobId + "?room=cancel-room", KEY).status()).isEqualTo(204);
            assertThat(alice.next(e -> !"running".equals(e.path("state").asString()), "the end of the job")
                    .path("state").asString()).isEqualTo("cancelled");
            assertThat(api.delete("/api/jobs/" + jobId + "?room=cancel-room", KEY).json().path("code").asString())
                    .isEqualTo("unknown_job");
        }
    }

    @Test
    void startingNeedsAKeyAndAValidRoomAndJob() throws Exception {
        ApiClient api = new ApiClient(port);
        assertThat(api.post("/api/jobs", Map.of("room", "builds")).status()).isEqualTo(401);
        var badRoom = api.post("/api/jobs", Map.of("room", "no rooms with spaces"), KEY);
        assertThat(badRoom.status()).isEqualTo(400);
        assertThat(badRoom.json().path("code").asString()).isEqualTo("invalid_room");
        var badJob = api.post("/api/jobs", Map.of("room", "builds", "chunks", 0), KEY);
        assertThat(badJob.status()).isEqualTo(400);
        assertThat(badJob.json().path("code").asString()).isEqualTo("invalid_job");
        var longLabel = api.post("/api/jobs", Map.of("room", "builds", "label", "x".repeat(65)), KEY);
        assertThat(longLabel.json().path("code").asString()).isEqualTo("invalid_job");
        assertThat(jobs.runningJobs()).isZero();
    }
}
