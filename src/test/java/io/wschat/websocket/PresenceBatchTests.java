package io.wschat.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;

import io.wschat.support.TestClient;
import io.wschat.support.TestClients;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A large room's presence changes come several to an event, in order and complete, so a room
 * forming at once costs far fewer frames than one per change; a small room's still come one by one.
 * Here "large" is above 3 members, an event carries at most 5 changes (the welcome's member cap),
 * and the window is long, so that joins made together surely fall into it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "chat.presence.batch-above=3", "chat.presence.batch-window=3s", "chat.welcome-members=5"})
class PresenceBatchTests {

    private static final int LATECOMERS = 8;

    @LocalServerPort
    int port;

    private final TestClients clients = new TestClients();

    @AfterEach
    void closeClients() throws Exception {
        clients.close();
    }

    private TestClient join(String name) throws Exception {
        TestClient client = clients.connect("ws://localhost:" + port + "/chat?room=crowd&name=" + name);
        client.next("welcome");
        return client;
    }

    @Test
    void aLargeRoomsChangesArriveTogetherInOrderAndComplete() throws Exception {
        TestClient first = join("m1");
        join("m2");
        join("m3");
        // Up to 3 members: one event per change, at once (its own join first).
        for (String name : List.of("m1", "m2", "m3")) {
            JsonNode joined = first.next(e -> "presence".equals(e.path("type").asString()), name + " joining");
            assertThat(joined.path("event").asString()).isEqualTo("joined");
            assertThat(joined.path("member").path("name").asString()).isEqualTo(name);
        }

        ExecutorService joining = Executors.newFixedThreadPool(LATECOMERS);
        try {
            List<CompletableFuture<TestClient>> latecomers = new ArrayList<>();
            for (int i = 0; i < LATECOMERS; i++) {
                String name = "late" + i;
                latecomers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return join(name);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, joining));
            }
            CompletableFuture.allOf(latecomers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } finally {
            joining.shutdownNow();
        }

        List<String> joinedNames = new ArrayList<>();
        int events = 0;
        int count = 0;
        while (joinedNames.size() < LATECOMERS) {
            JsonNode presence = first.next(e -> "presence".equals(e.path("type").asString()), "the latecomers' joins");
            events++;
            assertThat(presence.path("event").asString()).as("a room above 3 members gets its changes batched").isEqualTo("changes");
            assertThat(presence.has("member")).isFalse();
            JsonNode changes = presence.path("changes");
            assertThat(changes.size()).as("at most chat.welcome-members changes to an event").isBetween(1, 5);
            for (JsonNode change : changes) {
                assertThat(change.path("event").asString()).isEqualTo("joined");
                joinedNames.add(change.path("member").path("name").asString());
            }
            assertThat(presence.path("count").asInt()).as("the room's size after the event's last change")
                    .isEqualTo(3 + joinedNames.size());
            count = presence.path("count").asInt();
        }
        assertThat(joinedNames).containsExactlyInAnyOrder("late0", "late1", "late2", "late3", "late4", "late5", "late6", "late7");
        assertThat(events).as("eight joins in far fewer events than eight").isLessThanOrEqualTo(3);
        assertThat(count).isEqualTo(3 + LATECOMERS);

        // Renaming and leaving are batched too, in the order they happened: one client renames itself, then moves on.
        TestClient mover = clients.get(1);
        mover.sendJson(Map.of("type", "nick", "name", "m2b"));
        mover.sendJson(Map.of("type", "join", "room", "elsewhere"));
        List<String> seen = new ArrayList<>();
        while (seen.size() < 2) {
            JsonNode presence = first.next(e -> "presence".equals(e.path("type").asString()), "a rename and a leave");
            for (JsonNode change : presence.path("changes")) {
                seen.add(change.path("event").asString() + " " + change.path("member").path("name").asString()
                        + (change.has("previousName") ? " from " + change.path("previousName").asString() : ""));
            }
        }
        assertThat(seen).containsExactly("renamed m2b from m2", "left m2b");
    }
}
