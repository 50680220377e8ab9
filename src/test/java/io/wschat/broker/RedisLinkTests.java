package io.wschat.broker;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.wschat.support.EmbeddedPostgresHolder;
import io.wschat.support.EmbeddedRedis;
import io.wschat.support.RunningApp;
import io.wschat.support.TcpProxy;
import io.wschat.support.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances on a real Redis and a real PostgreSQL, instance A reaching both through a
 * {@link TcpProxy} the test can cut or stall: how fast cross-instance delivery comes back
 * after a Redis outage, what health says meanwhile, and that presence survives a flushed
 * Redis and a stalled database.
 */
class RedisLinkTests {

    private static final Duration HEARTBEAT = Duration.ofSeconds(2);
    private static final Duration PRESENCE_TTL = Duration.ofSeconds(4);
    /** The requirement: cross-instance delivery resumes within a second of Redis being reachable again. */
    private static final Duration RESUME_BOUND = Duration.ofSeconds(1);

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static EmbeddedRedis redis;
    private static RedisClient admin;
    private static StatefulRedisConnection<String, String> adminConnection;
    private static TcpProxy redisOfA;
    private static TcpProxy databaseOfA;
    private static RunningApp a;
    private static RunningApp b;

    @BeforeAll
    static void startInstances() throws Exception {
        redis = EmbeddedRedis.start();
        admin = RedisClient.create("redis://127.0.0.1:" + redis.port());
        adminConnection = admin.connect();
        redisOfA = TcpProxy.to(redis.port());
        String database = EmbeddedPostgresHolder.newDatabaseUrl();
        Matcher port = Pattern.compile("//localhost:(\\d+)/").matcher(database);
        assertThat(port.find()).isTrue();
        databaseOfA = TcpProxy.to(Integer.parseInt(port.group(1)));
        String databaseViaProxy = port.replaceFirst("//localhost:" + databaseOfA.port() + "/");
        a = instance("a", redisOfA.port(), databaseViaProxy);
        b = instance("b", redis.port(), database);
    }

    @AfterAll
    static void stopInstances() {
        a.close();
        b.close();
        redisOfA.close();
        databaseOfA.close();
        adminConnection.close();
        admin.shutdown();
        redis.close();
    }

    private static RunningApp instance(String id, int redisPort, String databaseUrl) {
        return RunningApp.start(
                "spring.profiles.active=postgres",
                "spring.datasource.url=" + databaseUrl,
                "spring.datasource.username=postgres",
                "spring.datasource.password=",
                "chat.broker.type=redis",
                "spring.data.redis.port=" + redisPort,
                "chat.broker.instance-id=" + id,
                "chat.broker.heartbeat-interval=" + HEARTBEAT.toMillis() + "ms",
                "chat.broker.presence-ttl=" + PRESENCE_TTL.toMillis() + "ms",
                "chat.limits.rate.messages-per-second=0",
                // Only the link brings messages back here; the store's position check is tested in RedisBackplaneTests.
                "chat.broker.position-check-interval=1h",
                // On a busy machine the 1 s default can miss the first handshake; cuts are seen at once whatever the timeout.
                "spring.data.redis.connect-timeout=5s", "spring.data.redis.timeout=5s");
    }

    @BeforeEach
    void bothInstancesAreLinked() {
        await().atMost(Duration.ofSeconds(10)).until(() -> healthy(a) && healthy(b));
    }

    @Test
    void crossInstanceDeliveryResumesWithinASecondOfRedisBeingReachableAgain() throws Exception {
        try (TestClient alice = welcomed(a, "room=resume&name=Alice");
             TestClient bob = welcomed(b, "room=resume&name=Bob")) {
            presenceOf(alice, "Bob");

            redisOfA.cutAndRefuse();
            await().atMost(Duration.ofSeconds(5)).until(() -> !healthy(a));
            alice.sendJson(Map.of("type", "message", "text", "during the outage"));
            assertThat(alice.next("message").path("text").asString()).isEqualTo("during the outage");
            // A few seconds of outage, as in production, so the client's reconnect attempts back off; health stays DOWN throughout.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> !healthy(a));

            redisOfA.accept();
            alice.sendJson(Map.of("type", "message", "text", "at the restore"));
            List<String> atBob = new ArrayList<>();
            await().atMost(RESUME_BOUND).pollInterval(Duration.ofMillis(20))
                    .until(() -> receivedTexts(bob, atBob).contains("at the restore"));
            assertThat(atBob).as("everything A stored meanwhile, once and in order").containsExactly("during the outage", "at the restore");
        }
    }

    @Test
    void healthIsDownWhileRedisAnswersCommandsButRefusesTheSubscription() throws Exception {
        try (TestClient alice = welcomed(a, "room=refused&name=Alice");
             TestClient bob = welcomed(b, "room=refused&name=Bob")) {
            presenceOf(alice, "Bob");
            // Redis still answers PING, but no client may use any channel: subscribers are disconnected, publishes refused.
            acl("resetchannels");
            try {
                await().atMost(Duration.ofSeconds(5)).until(() -> !healthy(a) && !healthy(b));
                assertThat(adminConnection.sync().ping()).isEqualTo("PONG");
                alice.sendJson(Map.of("type", "message", "text", "while channels are refused"));
                assertThat(alice.next("message").path("text").asString()).isEqualTo("while channels are refused");
            } finally {
                acl("allchannels");
            }
            await().atMost(RESUME_BOUND).until(() -> healthy(a));
            alice.sendJson(Map.of("type", "message", "text", "once healthy"));
            assertThat(textsUntil(bob, "once healthy")).containsExactly("while channels are refused", "once healthy");
        }
    }

    @Test
    void membersListedElsewhereComeBackWithinATtlAfterRedisLosesEverything() throws Exception {
        try (TestClient alice = welcomed(a, "room=flushed&name=Alice");
             TestClient bob = welcomed(b, "room=flushed&name=Bob")) {
            presenceOf(alice, "Bob");
            adminConnection.sync().flushall();
            await().atMost(PRESENCE_TTL).pollInterval(Duration.ofMillis(200))
                    .until(() -> membersSeenFrom(b, "flushed").containsAll(List.of("Alice", "Bob"))
                            && membersSeenFrom(a, "flushed").containsAll(List.of("Alice", "Bob")));
        }
    }

    @Test
    void aStalledDatabaseDoesNotMakeOtherInstancesForgetThisInstancesMembers() throws Exception {
        try (TestClient alice = welcomed(a, "room=stalled&name=Alice");
             TestClient bob = welcomed(b, "room=stalled&name=Bob")) {
            presenceOf(alice, "Bob");
            databaseOfA.stall();
            try {
                // A reconnect makes A catch up from its (stalled) store: that must not hold up its heartbeat.
                redisOfA.cutAndRefuse();
                await().atMost(Duration.ofSeconds(5)).until(() -> !healthy(a));
                redisOfA.accept();
                await().atMost(Duration.ofSeconds(5)).until(() -> healthy(a));
                await().during(PRESENCE_TTL.plus(HEARTBEAT)).atMost(PRESENCE_TTL.plus(HEARTBEAT).plusSeconds(3))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> membersSeenFrom(b, "stalled").contains("Alice"));
            } finally {
                databaseOfA.resume();
            }
            bob.sendJson(Map.of("type", "message", "text", "after the stall"));
            assertThat(textsUntil(alice, "after the stall")).containsExactly("after the stall");
        }
    }

    /** The member names a newcomer on this instance is welcomed with (the newcomer itself left out). */
    private static List<String> membersSeenFrom(RunningApp app, String room) throws Exception {
        try (TestClient probe = TestClient.connect("ws://localhost:" + app.port() + "/chat?room=" + room + "&name=Probe")) {
            List<String> names = new ArrayList<>();
            probe.next("welcome").path("members").forEach(m -> names.add(m.path("name").asString()));
            names.remove("Probe");
            return names;
        }
    }

    private static void acl(String rule) {
        adminConnection.sync().dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8).add("SETUSER").add("default").add(rule));
    }

    /** Whether the instance's health says its Redis component is UP (the component alone: the database's check would hang on a stalled database). */
    private static boolean healthy(RunningApp app) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + "/actuator/health/redis"))
                .timeout(Duration.ofSeconds(5)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body().contains("\"status\":\"UP\"");
        } catch (HttpTimeoutException e) {
            return false;
        }
    }

    private static TestClient welcomed(RunningApp app, String query) throws Exception {
        TestClient client = TestClient.connect("ws://localhost:" + app.port() + "/chat?" + query);
        client.next("welcome");
        return client;
    }

    private static JsonNode presenceOf(TestClient client, String name) throws InterruptedException {
        return client.next(e -> "presence".equals(e.path("type").asString())
                && name.equals(e.path("member").path("name").asString()), "presence of " + name);
    }

    /** Adds the texts of the messages that have arrived by now, without waiting. */
    private static List<String> receivedTexts(TestClient client, List<String> texts) {
        for (JsonNode event = client.poll(); event != null; event = client.poll()) {
            if ("message".equals(event.path("type").asString())) {
                texts.add(event.path("text").asString());
            }
        }
        return texts;
    }

    private static List<String> textsUntil(TestClient client, String last) throws InterruptedException {
        List<String> texts = new ArrayList<>();
        while (texts.isEmpty() || !texts.get(texts.size() - 1).equals(last)) {
            texts.add(client.next("message").path("text").asString());
        }
        return texts;
    }
}
