package io.wschat.live;

import java.time.Duration;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import io.wschat.support.LiveServerTest;
import io.wschat.support.TestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@LiveServerTest
class TimeSubscriptionTests {

    @LocalServerPort
    int port;

    @Autowired
    TimeSubscriptions subscriptions;

    private TestClient join(String room) throws Exception {
        TestClient client = TestClient.connect("ws://localhost:" + port + "/chat?room=" + room);
        client.next("welcome");
        return client;
    }

    @Test
    void pushesTheServerTimeAtOnceAndThenEveryInterval() throws Exception {
        try (TestClient client = join("time-push")) {
            long before = System.currentTimeMillis();
            client.sendJson(Map.of("type", "subscribe", "topic", "time", "intervalMs", 1000));
            JsonNode first = client.next("time");
            long firstArrived = System.nanoTime();
            JsonNode second = client.next("time");
            long gapMillis = (System.nanoTime() - firstArrived) / 1_000_000;

            assertThat(first.path("counter").asLong()).isEqualTo(1);
            assertThat(second.path("counter").asLong()).isEqualTo(2);
            assertThat(first.path("serverTime").asLong()).isBetween(before - 1000, System.currentTimeMillis() + 1000);
            // Periodic, not a burst: a late first tick (a busy machine) shortens the gap, never by the whole interval.
            assertThat(second.path("serverTime").asLong() - first.path("serverTime").asLong()).isBetween(500L, 2500L);
            assertThat(gapMillis).isGreaterThan(400);
        }
    }

    @Test
    void unsubscribeAndCloseEndTheSubscription() throws Exception {
        try (TestClient client = join("time-stop")) {
            client.sendJson(Map.of("type", "subscribe", "topic", "time", "intervalMs", 1000));
            client.next("time");
            // The first push may leave before the subscribing thread has recorded the subscription.
            await().atMost(Duration.ofSeconds(5)).until(() -> subscriptions.subscriptions() == 1);
            client.sendJson(Map.of("type", "unsubscribe", "topic", "time"));
            client.sendJson(Map.of("type", "ping"));
            client.next("pong");
            assertThat(subscriptions.subscriptions()).isZero();

            client.sendJson(Map.of("type", "subscribe", "topic", "time"));
            assertThat(client.next("time").path("counter").asLong()).isEqualTo(1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> subscriptions.subscriptions() == 0);
    }

    @Test
    void refusesUnknownTopicsAndIntervalsOutOfBounds() throws Exception {
        try (TestClient client = join("time-bad")) {
            client.sendJson(Map.of("type", "subscribe", "topic", "weather"));
            assertThat(client.next("error").path("message").asString()).contains("unknown topic");
            client.sendJson(Map.of("type", "subscribe", "topic", "time", "intervalMs", 10));
            assertThat(client.next("error").path("code").asString()).isEqualTo("invalid_command");
            assertThat(subscriptions.subscriptions()).isZero();
        }
    }
}
