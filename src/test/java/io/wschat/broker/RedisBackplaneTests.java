package io.wschat.broker;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import tools.jackson.databind.JsonNode;

import io.wschat.chat.MessageStore;
import io.wschat.chat.NewMessage;
import io.wschat.support.EmbeddedRedis;
import io.wschat.support.RunningApp;
import io.wschat.support.SqliteFiles;
import io.wschat.support.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two (sometimes three) whole instances on one real Redis, with a room spanning them.
 * They share one history database, as instances behind a load balancer do.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisBackplaneTests {

    private static final Duration PRESENCE_TTL = Duration.ofSeconds(1);
    /** The default. */
    private static final Duration POSITION_CHECK = Duration.ofSeconds(2);
    private static final Pattern LINKED = Pattern.compile("(?m)^chat_broker_degraded(\\{[^}]*})? 0\\.0$");
    private static final Pattern DEGRADED = Pattern.compile("(?m)^chat_broker_degraded(\\{[^}]*})? 1\\.0$");

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static EmbeddedRedis redis;
    private static String sharedDatabase;
    private static RunningApp a;
    private static RunningApp b;

    @BeforeAll
    static void startInstances() {
        redis = EmbeddedRedis.start();
        // One SQLite file for both instances: one history, one sequence, as on one PostgreSQL.
        sharedDatabase = SqliteFiles.newDatabaseUrl("backplane");
        a = instance("a");
        b = instance("b");
    }

    @AfterAll
    static void stopInstances() {
        a.close();
        b.close();
        redis.close();
    }

    static RunningApp instance(String id) {
        return RunningApp.start(
                "spring.datasource.url=" + sharedDatabase,
                "chat.broker.type=redis",
                "spring.data.redis.port=" + redis.port(),
                "chat.broker.instance-id=" + id,
                "chat.broker.heartbeat-interval=200ms",
                "chat.broker.presence-ttl=" + PRESENCE_TTL.toMillis() + "ms",
                // On a busy machine the 1 s default can miss the first handshake.
                "spring.data.redis.connect-timeout=5s", "spring.data.redis.timeout=5s");
    }

    @BeforeEach
    void bothInstancesAreLinked() {
        await().atMost(Duration.ofSeconds(10)).until(() -> LINKED.matcher(get(a, "/actuator/prometheus")).find()
                && LINKED.matcher(get(b, "/actuator/prometheus")).find());
    }

    private static TestClient join(RunningApp app, String query) throws Exception {
        return TestClient.connect("ws://localhost:" + app.port() + "/chat?" + query);
    }

    /** GET on one instance; the body whatever the status. */
    private static String get(RunningApp app, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + path)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    private static List<String> names(JsonNode members) {
        List<String> names = new ArrayList<>();
        members.forEach(m -> names.add(m.path("name").asString()));
        return names;
    }

    /** The texts of the messages a client receives, up to and including {@code last}. */
    private static List<String> textsUntil(TestClient client, String last) throws InterruptedException {
        List<String> texts = new ArrayList<>();
        while (texts.isEmpty() || !texts.get(texts.size() - 1).equals(last)) {
            texts.add(client.next("message").path("text").asString());
        }
        return texts;
    }

    private static TestClient welcomed(RunningApp instance, String query) throws Exception {
        TestClient client = join(instance, query);
        client.next("welcome");
        return client;
    }

    /** Skips events until a presence change about this member. */
    private static JsonNode presenceOf(TestClient client, String name) throws InterruptedException {
        return client.next(e -> "presence".equals(e.path("type").asString())
                && name.equals(e.path("member").path("name").asString()), "presence of " + name);
    }

    private static JsonNode nextText(TestClient client, String text) throws InterruptedException {
        return client.next(e -> "message".equals(e.path("type").asString()) && text.equals(e.path("text").asString()),
                "message '" + text + "'");
    }

    @Test
    void membersOnTwoInstancesShareMessagesPresenceAndTypingExactlyOnce() throws Exception {
        try (TestClient alice = join(a, "room=span&name=Alice")) {
            assertThat(names(alice.next("welcome").path("members"))).containsExactly("Alice");
            TestClient bob = join(b, "room=span&name=Bob");
            assertThat(names(bob.next("welcome").path("members"))).containsExactly("Alice", "Bob");
            JsonNode joined = presenceOf(alice, "Bob");
            assertThat(joined.path("event").asString()).isEqualTo("joined");
            assertThat(joined.path("member").path("name").asString()).isEqualTo("Bob");
            assertThat(joined.path("count").asInt()).isEqualTo(2);

            alice.sendJson(Map.of("type", "message", "text", "hello from a"));
            JsonNode atBob = bob.next("message");
            JsonNode atAlice = alice.next("message");
            assertThat(atBob.path("text").asString()).isEqualTo("hello from a");
            assertThat(atBob.path("seq").asLong()).isEqualTo(atAlice.path("seq").asLong());

            bob.sendJson(Map.of("type", "message", "text", "hello from b"));
            // The next message each sees is Bob's: no member got Alice's twice.
            assertThat(alice.next("message").path("seq").asLong()).isEqualTo(atAlice.path("seq").asLong() + 1);
            assertThat(bob.next("message").path("text").asString()).isEqualTo("hello from b");

            bob.sendJson(Map.of("type", "typing"));
            assertThat(alice.next("typing").path("member").path("name").asString()).isEqualTo("Bob");
            bob.sendJson(Map.of("type", "nick", "name", "Robert"));
            JsonNode renamed = alice.next(e -> "renamed".equals(e.path("event").asString()), "a rename");
            assertThat(renamed.path("member").path("name").asString()).isEqualTo("Robert");
            assertThat(renamed.path("count").asInt()).isEqualTo(2);
            bob.close();
        }
    }

    @Test
    void historyAndSinceRecoveryWorkOnEitherInstance() throws Exception {
        List<Long> seqs = new ArrayList<>();
        try (TestClient alice = join(a, "room=hist&name=Alice")) {
            alice.next("welcome");
            for (String text : List.of("one", "two", "three")) {
                alice.sendJson(Map.of("type", "message", "text", text));
                seqs.add(nextText(alice, text).path("seq").asLong());
            }
        }
        try (TestClient carol = join(b, "room=hist&name=Carol&since=" + seqs.get(0))) {
            JsonNode welcome = carol.next("welcome");
            List<String> texts = new ArrayList<>();
            welcome.path("history").forEach(m -> texts.add(m.path("text").asString()));
            assertThat(texts).containsExactly("two", "three");
            assertThat(welcome.path("lastSeq").asLong()).isEqualTo(seqs.get(2));
        }
    }

    @Test
    void messagesPostedOnBothInstancesAtOnceArriveInSequenceOrderEverywhere() throws Exception {
        int perSender = 15;
        try (TestClient alice = join(a, "room=order&name=Alice");
             TestClient bob = join(b, "room=order&name=Bob");
             TestClient watcher = join(a, "room=order&name=Watcher")) {
            long lastSeq = alice.next("welcome").path("lastSeq").asLong();
            bob.next("welcome");
            watcher.next("welcome");
            CompletableFuture<Void> fromA = CompletableFuture.runAsync(() -> sendMany(alice, "a", perSender));
            CompletableFuture<Void> fromB = CompletableFuture.runAsync(() -> sendMany(bob, "b", perSender));
            fromA.join();
            fromB.join();
            List<Long> expected = LongStream.rangeClosed(lastSeq + 1, lastSeq + 2L * perSender).boxed().toList();
            for (TestClient client : List.of(alice, bob, watcher)) {
                List<Long> seqs = new ArrayList<>();
                for (int i = 0; i < 2 * perSender; i++) {
                    seqs.add(client.next("message").path("seq").asLong());
                }
                assertThat(seqs).containsExactlyElementsOf(expected);
            }
        }
    }

    private static void sendMany(TestClient client, String prefix, int count) {
        try {
            for (int i = 0; i < count; i++) {
                client.sendJson(Map.of("type", "message", "text", prefix + i));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A message that is stored but never published (its publisher crashed, or dropped it on a full queue) still reaches everyone. */
    @Test
    void aStoredMessageThatWasNeverPublishedReachesEveryMemberWithinThePositionCheck() throws Exception {
        try (TestClient alice = welcomed(a, "room=unpublished&name=Alice");
             TestClient bob = welcomed(b, "room=unpublished&name=Bob")) {
            presenceOf(alice, "Bob");
            // What a publisher that crashed between storing and publishing leaves behind: the message in the shared store only.
            b.context().getBean(MessageStore.class).append(new NewMessage("unpublished", "gone", "Gone", "the last word", null, null));
            List<String> atAlice = new ArrayList<>();
            List<String> atBob = new ArrayList<>();
            await().atMost(POSITION_CHECK.plusSeconds(1)).pollInterval(Duration.ofMillis(50))
                    .until(() -> receivedTexts(alice, atAlice).contains("the last word") && receivedTexts(bob, atBob).contains("the last word"));
            assertThat(atAlice).containsExactly("the last word");
            assertThat(atBob).containsExactly("the last word");
        }
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

    @Test
    void membersOfAnInstanceThatDiesWithoutGoodbyeVanishWithinTheTtl() throws Exception {
        RunningApp c = instance("c");
        try (TestClient alice = join(a, "room=crash&name=Alice")) {
            alice.next("welcome");
            TestClient dave = join(c, "room=crash&name=Dave");
            assertThat(names(dave.next("welcome").path("members"))).containsExactly("Alice", "Dave");
            assertThat(presenceOf(alice, "Dave").path("count").asInt()).isEqualTo(2);

            // A crash: C loses Redis first, so neither its leave nor its goodbye reaches anyone.
            c.context().getBean(LettuceConnectionFactory.class).stop();
            c.close();
            long crashed = System.nanoTime();

            await().atMost(PRESENCE_TTL.plusSeconds(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
                try (TestClient probe = join(a, "room=crash&name=Probe")) {
                    return names(probe.next("welcome").path("members")).equals(List.of("Alice", "Probe"));
                }
            });
            assertThat(Duration.ofNanos(System.nanoTime() - crashed)).isLessThan(PRESENCE_TTL.plusSeconds(2));
        } finally {
            c.close();
        }
    }

    @Test
    void aRedisOutageKeepsLocalDeliveryGoingAndLosesNothing(CapturedOutput output) throws Exception {
        try (TestClient alice = welcomed(a, "room=outage&name=Alice");
             TestClient ann = welcomed(a, "room=outage&name=Ann");
             TestClient bob = welcomed(b, "room=outage&name=Bob")) {
            presenceOf(alice, "Bob");
            assertThat(get(a, "/actuator/health")).contains("\"redis\":{\"status\":\"UP\"");

            redis.stop();
            await().atMost(Duration.ofSeconds(5)).until(() -> DEGRADED.matcher(get(a, "/actuator/prometheus")).find()
                    && DEGRADED.matcher(get(b, "/actuator/prometheus")).find());
            assertThat(get(a, "/actuator/health")).contains("\"redis\":{\"status\":\"DOWN\"");
            assertThat(output).contains("Redis unreachable");

            // Local delivery goes on: Alice's own copy (her acknowledgement) and Ann's, both on instance A.
            alice.sendJson(Map.of("type", "message", "text", "while redis is down"));
            List<String> atAlice = textsUntil(alice, "while redis is down");
            List<String> atAnn = textsUntil(ann, "while redis is down");
            assertThat(atAnn).containsExactly("while redis is down");
            bob.sendJson(Map.of("type", "message", "text", "b while redis is down"));
            List<String> atBob = textsUntil(bob, "b while redis is down");

            redis.startAgain();
            bothInstancesAreLinked();
            assertThat(output).contains("Redis reachable again");

            // Everything stored during the outage reaches every member, once and in order.
            alice.sendJson(Map.of("type", "message", "text", "after redis returned"));
            atAlice.addAll(textsUntil(alice, "after redis returned"));
            atAnn.addAll(textsUntil(ann, "after redis returned"));
            atBob.addAll(textsUntil(bob, "after redis returned"));
            List<String> all = List.of("while redis is down", "b while redis is down", "after redis returned");
            assertThat(atAlice).containsExactlyElementsOf(all);
            assertThat(atAnn).containsExactlyElementsOf(all);
            assertThat(atBob).containsExactlyElementsOf(all);
            assertThat(names(join(b, "room=outage&name=Probe").next("welcome").path("members")))
                    .containsExactly("Alice", "Ann", "Bob", "Probe");
        }
    }
}
