package io.wschat.progress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;

import io.wschat.support.LiveServerTest;
import io.wschat.support.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@LiveServerTest
class ProgressStreamingTests {

    @LocalServerPort
    int port;

    @Autowired
    ProgressJobs jobs;

    @AfterEach
    void noJobOutlivesItsTest() {
        await().atMost(Duration.ofSeconds(5)).until(() -> jobs.runningJobs() == 0);
    }

    private TestClient join(String room, String name) throws Exception {
        TestClient client = TestClient.connect("ws://localhost:" + port + "/chat?room=" + room + "&name=" + name);
        client.next("welcome");
        return client;
    }

    /** Progress events of one job up to and including the one that ends it. */
    private static List<JsonNode> untilEnd(TestClient client) throws InterruptedException {
        List<JsonNode> events = new ArrayList<>();
        while (true) {
            JsonNode event = client.next("progress");
            events.add(event);
            if (!"running".equals(event.path("state").asString())) {
                return events;
            }
        }
    }

    @Test
    void streamsEveryChunkInOrderAndEndsWithDone() throws Exception {
        try (TestClient alice = join("progress-order", "Alice")) {
            alice.sendJson(Map.of("type", "progress", "chunks", 5, "chunkBytes", 1000, "intervalMs", 50, "label", "report.pdf"));
            List<JsonNode> events = untilEnd(alice);

            assertThat(events).hasSize(6);
            String jobId = events.get(0).path("jobId").asString();
            assertThat(jobId).isNotBlank();
            for (int i = 0; i < events.size(); i++) {
                JsonNode e = events.get(i);
                assertThat(e.path("jobId").asString()).isEqualTo(jobId);
                assertThat(e.path("chunk").asInt()).isEqualTo(i);
                assertThat(e.path("bytes").asLong()).isEqualTo(i * 1000L);
                assertThat(e.path("percent").asDouble()).isEqualTo(i * 20.0);
                assertThat(e.path("totalBytes").asLong()).isEqualTo(5000);
                assertThat(e.path("label").asString()).isEqualTo("report.pdf");
                assertThat(e.has("room")).isFalse();
            }
            JsonNode last = events.get(5);
            assertThat(last.path("state").asString()).isEqualTo("done");
            assertThat(last.path("percent").asDouble()).isEqualTo(100.0);
            assertThat(last.path("etaMillis").asLong()).isZero();
            // 1000 bytes per 50 ms is about 20 kB/s; scheduling jitter only ever makes it slower.
            assertThat(last.path("bytesPerSecond").asLong()).isBetween(5_000L, 21_000L);
            assertThat(events.get(2).path("etaMillis").asLong()).isPositive();
        }
    }

    @Test
    void goesOnlyToTheConnectionThatStartedIt() throws Exception {
        try (TestClient alice = join("progress-private", "Alice");
             TestClient bob = join("progress-private", "Bob")) {
            alice.sendJson(Map.of("type", "progress", "chunks", 3, "intervalMs", 50));
            assertThat(untilEnd(alice).get(3).path("state").asString()).isEqualTo("done");

            bob.sendJson(Map.of("type", "ping", "id", "after-job"));
            JsonNode firstOfInterest = bob.next(e -> Set.of("progress", "pong").contains(e.path("type").asString()),
                    "a progress or pong event");
            assertThat(firstOfInterest.path("type").asString()).isEqualTo("pong");
        }
    }

    @Test
    void cancelStopsTheJobWithACancelledEvent() throws Exception {
        try (TestClient alice = join("progress-cancel", "Alice")) {
            alice.sendJson(Map.of("type", "progress", "chunks", 1000, "intervalMs", 50));
            JsonNode started = alice.next("progress");
            assertThat(jobs.runningJobs()).isEqualTo(1);

            alice.sendJson(Map.of("type", "cancel", "jobId", started.path("jobId").asString()));
            List<JsonNode> events = untilEnd(alice);
            JsonNode last = events.get(events.size() - 1);
            assertThat(last.path("state").asString()).isEqualTo("cancelled");
            assertThat(last.path("percent").asDouble()).isLessThan(100.0);
            assertThat(jobs.runningJobs()).isZero();

            alice.sendJson(Map.of("type", "ping", "id", "after-cancel"));
            JsonNode next = alice.next(e -> Set.of("progress", "pong").contains(e.path("type").asString()), "progress or pong");
            assertThat(next.path("type").asString()).isEqualTo("pong");
        }
    }

    @Test
    void aClosedConnectionStopsItsJobs() throws Exception {
        TestClient alice = join("progress-drop", "Alice");
        alice.sendJson(Map.of("type", "progress", "chunks", 1000, "intervalMs", 50));
        alice.sendJson(Map.of("type", "progress", "chunks", 1000, "intervalMs", 50));
        alice.next("progress");
        alice.next(e -> e.path("type").asString().equals("progress") && e.path("chunk").asInt() == 0, "second job's start");
        assertThat(jobs.runningJobs()).isEqualTo(2);

        alice.close();

        await().atMost(Duration.ofSeconds(5)).until(() -> jobs.runningJobs() == 0);
    }

    @Test
    void aJobCanFail() throws Exception {
        try (TestClient alice = join("progress-fail", "Alice")) {
            alice.sendJson(Map.of("type", "progress", "chunks", 10, "intervalMs", 50, "failAtChunk", 3));
            List<JsonNode> events = untilEnd(alice);
            JsonNode last = events.get(events.size() - 1);
            assertThat(last.path("state").asString()).isEqualTo("failed");
            assertThat(last.path("chunk").asInt()).isEqualTo(2);
            assertThat(last.path("reason").asString()).contains("chunk 3");
        }
    }

    @Test
    void refusesJobsBeyondTheLimits() throws Exception {
        try (TestClient alice = join("progress-limits", "Alice")) {
            alice.sendJson(Map.of("type", "progress", "chunks", 1_000_000));
            assertThat(alice.next("error").path("code").asString()).isEqualTo("invalid_job");
            alice.sendJson(Map.of("type", "progress", "intervalMs", 1));
            assertThat(alice.next("error").path("message").asString()).contains("intervalMs");
            alice.sendJson(Map.of("type", "progress", "chunks", "ten"));
            assertThat(alice.next("error").path("code").asString()).isEqualTo("invalid_command");

            for (int i = 0; i < 3; i++) {
                alice.sendJson(Map.of("type", "progress", "chunks", 1000, "intervalMs", 1000));
            }
            alice.sendJson(Map.of("type", "progress", "chunks", 1000, "intervalMs", 1000));
            assertThat(alice.next("error").path("code").asString()).isEqualTo("too_many_jobs");
            assertThat(jobs.runningJobs()).isEqualTo(3);

            alice.sendJson(Map.of("type", "cancel", "jobId", "nope"));
            assertThat(alice.next("error").path("code").asString()).isEqualTo("unknown_job");
        }
    }
}
