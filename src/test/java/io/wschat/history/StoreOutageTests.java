package io.wschat.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

import io.wschat.support.EmbeddedPostgresHolder;
import io.wschat.support.RunningApp;
import io.wschat.support.TcpProxy;
import io.wschat.support.TestClient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fault suite: PostgreSQL behind a TCP proxy that the test cuts and restores while clients send.
 * A send during the outage is answered {@code unavailable} within the bounded database waits, the
 * connection stays open, and once the link is back the resend is stored; every message whose
 * acknowledgement a client saw is delivered to every member exactly once, in order.
 */
class StoreOutageTests {

    private static final Pattern PORT = Pattern.compile("//localhost:(\\d+)/");

    @Test
    void aSendWhileTheDatabaseIsCutIsAnsweredUnavailableAndTheConnectionStaysOpen() throws Exception {
        try (ServerBehindProxy server = ServerBehindProxy.start();
             TestClient alice = TestClient.connect("ws://localhost:" + server.app().port() + "/chat?room=outage&name=Alice&client=alice-1");
             TestClient bob = TestClient.connect("ws://localhost:" + server.app().port() + "/chat?room=outage&name=Bob")) {
            String aliceId = alice.next("welcome").path("id").asString();
            bob.next("welcome");
            List<String> acknowledged = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                acknowledged.add(sendAcknowledged(alice, aliceId, "before " + i, "b-" + i).path("text").asString());
            }

            server.proxy().cutAndRefuse();
            alice.sendJson(Map.of("type", "message", "text", "during", "cid", "d-1"));
            JsonNode refused = alice.next(e -> !e.path("type").asString().equals("presence"), "the answer to the send");
            assertThat(refused.path("type").asString()).isEqualTo("error");
            assertThat(refused.path("code").asString()).isEqualTo("unavailable");
            assertThat(alice.isOpen()).as("the connection stays open").isTrue();
            alice.sendJson(Map.of("type", "ping", "id", "still-there"));
            assertThat(alice.next("pong").path("id").asString()).isEqualTo("still-there");

            server.proxy().accept();
            // The pool reconnects on demand; until it has, a resend may be refused again.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                alice.sendJson(Map.of("type", "message", "text", "during", "cid", "d-1"));
                JsonNode answer = alice.next(e -> e.path("type").asString().equals("message")
                        || e.path("type").asString().equals("error"), "an answer");
                assertThat(answer.path("type").asString()).isEqualTo("message");
                assertThat(answer.path("fromId").asString()).isEqualTo(aliceId);
            });
            acknowledged.add("during");
            acknowledged.add(sendAcknowledged(alice, aliceId, "after", "a-1").path("text").asString());

            List<String> bobSaw = new ArrayList<>();
            while (bobSaw.size() < acknowledged.size()) {
                bobSaw.add(bob.next("message").path("text").asString());
            }
            assertThat(bobSaw).as("every acknowledged message reached Bob once, in order").isEqualTo(acknowledged);
            try (TestClient carol = TestClient.connect("ws://localhost:" + server.app().port() + "/chat?room=outage&name=Carol&since=0")) {
                JsonNode history = carol.next("welcome").path("history");
                List<String> texts = new ArrayList<>();
                List<Long> seqs = new ArrayList<>();
                history.forEach(m -> {
                    texts.add(m.path("text").asString());
                    seqs.add(m.path("seq").asLong());
                });
                assertThat(texts).isEqualTo(acknowledged);
                assertThat(seqs).as("gap-free: the refused attempts took no sequence number")
                        .isEqualTo(java.util.stream.LongStream.rangeClosed(1, acknowledged.size()).boxed().toList());
            }
        }
    }

    @Test
    void aJoinWhileTheDatabaseIsCutLeavesNoGhostMemberAndTheRoomWorksOnceItIsBack() throws Exception {
        try (ServerBehindProxy server = ServerBehindProxy.start()) {
            String room = "ws://localhost:" + server.app().port() + "/chat?room=fresh&name=";
            server.proxy().cutAndRefuse();
            try (TestClient carol = TestClient.connect(room + "Carol")) {
                JsonNode refused = carol.next();
                assertThat(refused.path("type").asString()).as("no welcome while the store is cut").isEqualTo("error");
                assertThat(refused.path("code").asString()).isEqualTo("unavailable");
                carol.sendJson(Map.of("type", "ping", "id", "open"));
                assertThat(carol.next().path("id").asString()).as("the connection stays open").isEqualTo("open");
                carol.send("hello?");
                assertThat(carol.next().path("code").asString()).isEqualTo("not_in_room");

                server.proxy().accept();
                JsonNode[] welcome = new JsonNode[1];
                TestClient[] dave = new TestClient[1];
                // The pool reconnects on demand; until it has, a join may be refused again.
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    TestClient attempt = TestClient.connect(room + "Dave");
                    JsonNode first = attempt.next();
                    if (!first.path("type").asString().equals("welcome")) {
                        attempt.close();
                    }
                    assertThat(first.path("type").asString()).isEqualTo("welcome");
                    welcome[0] = first;
                    dave[0] = attempt;
                });
                try (TestClient joined = dave[0]) {
                    assertThat(welcome[0].path("memberCount").asInt()).as("Carol's failed entry left no ghost").isEqualTo(1);
                    String daveId = welcome[0].path("id").asString();
                    assertThat(sendAcknowledged(joined, daveId, "first", "f-1").path("seq").asLong())
                            .as("the room's subscription was opened by the next joiner").isEqualTo(1);

                    carol.sendJson(Map.of("type", "join", "room", "fresh"));
                    JsonNode carolWelcome = carol.next("welcome");
                    assertThat(carolWelcome.path("memberCount").asInt()).isEqualTo(2);
                    assertThat(carolWelcome.path("history").get(0).path("text").asString()).isEqualTo("first");
                    carol.send("back");
                    assertThat(joined.next("message").path("text").asString()).isEqualTo("back");
                }
            }
        }
    }

    /** The server on a fresh PostgreSQL database that it reaches through a proxy the test can cut. */
    private record ServerBehindProxy(TcpProxy proxy, RunningApp app) implements AutoCloseable {

        static ServerBehindProxy start() throws Exception {
            String url = EmbeddedPostgresHolder.newDatabaseUrl();
            Matcher port = PORT.matcher(url);
            assertThat(port.find()).as("a port in %s", url).isTrue();
            TcpProxy proxy = TcpProxy.to(Integer.parseInt(port.group(1)));
            try {
                return new ServerBehindProxy(proxy, RunningApp.startWithProfile("postgres",
                        "spring.datasource.url=" + port.replaceFirst("//localhost:" + proxy.port() + "/"),
                        "spring.datasource.username=postgres", "spring.datasource.password=",
                        "chat.limits.rate.messages-per-second=0"));
            } catch (RuntimeException e) {
                proxy.close();
                throw e;
            }
        }

        @Override
        public void close() {
            app.close();
            proxy.close();
        }
    }

    private static JsonNode sendAcknowledged(TestClient client, String id, String text, String cid) throws Exception {
        client.sendJson(Map.of("type", "message", "text", text, "cid", cid));
        return client.next(e -> e.path("type").asString().equals("message") && e.path("fromId").asString().equals(id)
                && e.path("cid").asString().equals(cid), "the acknowledgement of " + cid);
    }
}
