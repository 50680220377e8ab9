package io.wschat.websocket;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import tools.jackson.databind.JsonNode;

import io.wschat.chat.ChatMessage;
import io.wschat.chat.MessageStore;
import io.wschat.support.TestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * History, reconnects with {@code since}, {@code history} paging and idempotent resends, over real
 * sockets. The per-connection rate limit is off: these tests send hundreds of messages at once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "chat.limits.rate.messages-per-second=0")
class RecoveryEndpointTests {

    @LocalServerPort
    int port;

    @Autowired
    MessageStore store;

    private TestClient join(String query) throws Exception {
        TestClient client = TestClient.connect("ws://localhost:" + port + "/chat?" + query);
        return client;
    }

    /** Sends {@code count} messages and waits until all are acknowledged; returns the last sequence. */
    private static long sendAndAwaitAcks(TestClient client, String prefix, int count) throws Exception {
        for (int i = 1; i <= count; i++) {
            client.send(prefix + i);
        }
        long last = 0;
        for (int i = 1; i <= count; i++) {
            last = client.next("message").path("seq").asLong();
        }
        return last;
    }

    /** The sequences of the welcome's history, then of live messages, until {@code lastSeq} has arrived. */
    private static List<Long> seqsThrough(JsonNode welcome, TestClient client, long lastSeq) throws Exception {
        List<Long> seqs = new ArrayList<>();
        welcome.path("history").forEach(m -> seqs.add(m.path("seq").asLong()));
        while (seqs.isEmpty() || seqs.get(seqs.size() - 1) < lastSeq) {
            seqs.add(client.next("message").path("seq").asLong());
        }
        return seqs;
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    private static List<String> texts(JsonNode messages) {
        List<String> texts = new ArrayList<>();
        messages.forEach(m -> texts.add(m.path("text").asString()));
        return texts;
    }

    @Test
    void reconnectingWithSinceDeliversExactlyTheMissedMessagesInOrderBeforeLiveOnes() throws Exception {
        long seen;
        try (TestClient alice = join("room=missed&name=Alice")) {
            alice.next("welcome");
            seen = sendAndAwaitAcks(alice, "before ", 1);
        }
        try (TestClient bob = join("room=missed&name=Bob")) {
            bob.next("welcome");
            long last = sendAndAwaitAcks(bob, "m", 100);
            assertThat(last).isEqualTo(seen + 100);
            try (TestClient alice = join("room=missed&name=Alice&since=" + seen)) {
                JsonNode welcome = alice.next("welcome");
                JsonNode history = welcome.path("history");
                assertThat(history).hasSize(100);
                assertThat(seqsThrough(welcome, alice, last)).isEqualTo(range(seen + 1, last));
                assertThat(texts(history).get(0)).isEqualTo("m1");
                assertThat(texts(history).get(99)).isEqualTo("m100");
                assertThat(welcome.has("truncated")).isFalse();
                assertThat(welcome.path("lastSeq").asLong()).isEqualTo(last);
                bob.send("live");
                JsonNode live = alice.next("message");
                assertThat(live.path("seq").asLong()).isEqualTo(last + 1);
                assertThat(live.path("text").asString()).isEqualTo("live");
            }
        }
    }

    @Test
    void joinCommandWithSinceRecoversLikeTheQueryParameter() throws Exception {
        try (TestClient bob = join("room=rejoin&name=Bob"); TestClient alice = join("room=elsewhere&name=Alice")) {
            bob.next("welcome");
            alice.next("welcome");
            long last = sendAndAwaitAcks(bob, "r", 12);
            alice.sendJson(Map.of("type", "join", "room", "rejoin", "since", last - 5));
            JsonNode welcome = alice.next("welcome");
            assertThat(welcome.path("room").asString()).isEqualTo("rejoin");
            assertThat(texts(welcome.path("history"))).containsExactly("r8", "r9", "r10", "r11", "r12");
            assertThat(welcome.path("lastSeq").asLong()).isEqualTo(last);
        }
    }

    @Test
    void welcomeWithoutSinceCarriesTheLatestFifty() throws Exception {
        try (TestClient bob = join("room=latest&name=Bob")) {
            bob.next("welcome");
            long last = sendAndAwaitAcks(bob, "n", 60);
            try (TestClient alice = join("room=latest&name=Alice")) {
                JsonNode welcome = alice.next("welcome");
                assertThat(seqsThrough(welcome, alice, last)).isEqualTo(range(last - 49, last));
                assertThat(welcome.path("lastSeq").asLong()).isEqualTo(last);
            }
        }
    }

    @Test
    void sinceBeyondTheRoomsEndStartsAfreshInsteadOfSwallowingNewMessages() throws Exception {
        try (TestClient bob = join("room=reset&name=Bob")) {
            bob.next("welcome");
            long last = sendAndAwaitAcks(bob, "x", 3);
            try (TestClient alice = join("room=reset&name=Alice&since=" + (last + 1000))) {
                JsonNode welcome = alice.next("welcome");
                assertThat(welcome.path("lastSeq").asLong()).isEqualTo(last);
                assertThat(texts(welcome.path("history"))).containsExactly("x1", "x2", "x3");
                bob.send("after the reset");
                assertThat(alice.next("message").path("text").asString()).isEqualTo("after the reset");
            }
        }
    }

    @Test
    void aRecoveryLargerThanTheClientsBufferIsCutToTheNewestThatFitInsteadOfClosingIt() throws Exception {
        String longText = "z".repeat(3900);
        int count = 300;
        try (TestClient bob = join("room=bulky&name=Bob")) {
            bob.next("welcome");
            long last = sendAndAwaitAcks(bob, longText, count);
            try (TestClient alice = join("room=bulky&name=Alice&since=" + (last - count))) {
                JsonNode welcome = alice.next("welcome");
                int sent = welcome.path("history").size();
                assertThat(sent).isBetween(10, count - 1);
                assertThat(welcome.path("truncated").asBoolean()).isTrue();
                assertThat(welcome.path("firstSeq").asLong()).isEqualTo(last - sent + 1);
                assertThat(seqsThrough(welcome, alice, last)).isEqualTo(range(last - sent + 1, last));
                alice.sendJson(Map.of("type", "history", "before", last - sent + 1, "limit", 200));
                JsonNode older = alice.next("history");
                assertThat(older.path("messages").size()).isBetween(10, 199);
                assertThat(older.path("hasMore").asBoolean()).isTrue();
                bob.send("still connected");
                assertThat(alice.next("message").path("text").asString()).isEqualTo("still connected");
            }
        }
    }

    @Test
    void historyCommandPagesBackwards() throws Exception {
        try (TestClient alice = join("room=paging&name=Alice")) {
            alice.next("welcome");
            long last = sendAndAwaitAcks(alice, "p", 30);
            alice.sendJson(Map.of("type", "history", "limit", 10));
            JsonNode newest = alice.next("history");
            assertThat(newest.path("room").asString()).isEqualTo("paging");
            assertThat(texts(newest.path("messages"))).containsExactlyElementsOf(range(21, 30).stream().map(i -> "p" + i).toList());
            assertThat(newest.path("hasMore").asBoolean()).isTrue();
            long oldestSeen = newest.path("messages").get(0).path("seq").asLong();
            assertThat(oldestSeen).isEqualTo(last - 9);
            alice.sendJson(Map.of("type", "history", "before", oldestSeen, "limit", 10));
            JsonNode older = alice.next("history");
            assertThat(texts(older.path("messages"))).containsExactlyElementsOf(range(11, 20).stream().map(i -> "p" + i).toList());
            assertThat(older.path("hasMore").asBoolean()).isTrue();
            alice.sendJson(Map.of("type", "history", "before", older.path("messages").get(0).path("seq").asLong(), "limit", 50));
            JsonNode oldest = alice.next("history");
            assertThat(oldest.path("messages")).hasSize(10);
            assertThat(oldest.path("hasMore").asBoolean()).isFalse();
        }
    }

    @Test
    void historyCommandWithABadLimitGetsAnError() throws Exception {
        try (TestClient alice = join("room=paging-errors&name=Alice")) {
            alice.next("welcome");
            for (Object limit : List.of(0, -1, "ten", 1.5, 201)) {
                alice.sendJson(Map.of("type", "history", "limit", limit));
                JsonNode error = alice.next("error");
                assertThat(error.path("code").asString()).as("limit %s", limit).isEqualTo("invalid_command");
                assertThat(error.path("message").asString()).contains("limit");
            }
            alice.sendJson(Map.of("type", "history", "before", -3));
            assertThat(alice.next("error").path("message").asString()).contains("before");
        }
    }

    @Test
    void aResentCidIsAcknowledgedToItsSenderAloneAndStoredOnce() throws Exception {
        try (TestClient alice = join("room=resend&name=Alice"); TestClient bob = join("room=resend&name=Bob")) {
            alice.next("welcome");
            bob.next("welcome");
            alice.sendJson(Map.of("type", "message", "text", "only once", "cid", "c-42"));
            JsonNode ack = alice.next("message");
            JsonNode atBob = bob.next("message");
            assertThat(atBob.path("cid").asString()).isEqualTo("c-42");
            assertThat(ack.has("duplicate")).isFalse();
            alice.sendJson(Map.of("type", "message", "text", "only once", "cid", "c-42"));
            JsonNode secondAck = alice.next("message");
            assertThat(secondAck.path("duplicate").asBoolean()).isTrue();
            assertThat(secondAck.path("seq").asLong()).isEqualTo(ack.path("seq").asLong());
            assertThat(secondAck.path("cid").asString()).isEqualTo("c-42");
            alice.send("next one");
            JsonNode next = bob.next("message");
            assertThat(next.path("text").asString()).as("Bob never saw the resend").isEqualTo("next one");
            assertThat(next.path("seq").asLong()).isEqualTo(ack.path("seq").asLong() + 1);
        }
    }

    @Test
    void twoClientsUsingTheSameCidEachGetTheirOwnMessageStoredAndAcknowledged() throws Exception {
        try (TestClient alice = join("room=same-cid&name=Alice&client=alice-tab");
             TestClient bob = join("room=same-cid&name=Bob")) {
            String aliceId = alice.next("welcome").path("id").asString();
            String bobId = bob.next("welcome").path("id").asString();
            alice.sendJson(Map.of("type", "message", "text", "Alice's first", "cid", "c-1"));
            JsonNode aliceAck = alice.next(e -> aliceId.equals(e.path("fromId").asString()), "Alice's acknowledgement");
            bob.sendJson(Map.of("type", "message", "text", "Bob's first", "cid", "c-1"));
            JsonNode bobAck = bob.next(e -> bobId.equals(e.path("fromId").asString()), "Bob's acknowledgement");
            assertThat(bobAck.path("text").asString()).as("Bob's ack is Bob's message, not Alice's").isEqualTo("Bob's first");
            assertThat(bobAck.has("duplicate")).isFalse();
            assertThat(bobAck.path("seq").asLong()).isEqualTo(aliceAck.path("seq").asLong() + 1);
            assertThat(alice.next("message").path("text").asString()).as("Alice gets Bob's message too").isEqualTo("Bob's first");
        }
        assertThat(store.after("same-cid", 0, 10)).extracting(ChatMessage::text).containsExactly("Alice's first", "Bob's first");
    }

    @Test
    void aClientIdPresentedOnReconnectMakesItsResendsIdempotentAndNoOneElsesAreReturned() throws Exception {
        try (TestClient alice = join("room=client-id&name=Alice&client=alice-7f3a")) {
            alice.next("welcome");
            alice.sendJson(Map.of("type", "message", "text", "from Alice", "cid", "c-9"));
            alice.next("message");
        }
        try (TestClient mallory = join("room=client-id&name=Mallory&client=mallory-1")) {
            mallory.next("welcome");
            mallory.sendJson(Map.of("type", "message", "text", "from Mallory", "cid", "c-9"));
            JsonNode ack = mallory.next("message");
            assertThat(ack.path("text").asString()).isEqualTo("from Mallory");
            assertThat(ack.has("duplicate")).isFalse();
        }
        try (TestClient alice = join("room=client-id&name=Alice&client=alice-7f3a")) {
            alice.next("welcome");
            alice.sendJson(Map.of("type", "message", "text", "from Alice", "cid", "c-9"));
            JsonNode ack = alice.next("message");
            assertThat(ack.path("duplicate").asBoolean()).isTrue();
            assertThat(ack.path("text").asString()).isEqualTo("from Alice");
        }
        assertThat(store.after("client-id", 0, 10)).extracting(ChatMessage::text).containsExactly("from Alice", "from Mallory");
    }

    @Test
    void anOutboxResentAfterAReconnectIsStoredOnce() throws Exception {
        try (TestClient alice = join("room=outbox&name=Alice&client=alice-outbox")) {
            alice.next("welcome");
            // Gone before reading any acknowledgement, as when a connection drops mid-send.
            alice.sendJson(Map.of("type", "message", "text", "typed offline", "cid", "c-out"));
            alice.sendJson(Map.of("type", "ping"));
            alice.next("pong");
        }
        try (TestClient alice = join("room=outbox&name=Alice&since=0&client=alice-outbox")) {
            JsonNode welcome = alice.next("welcome");
            assertThat(welcome.path("history")).hasSize(1);
            alice.sendJson(Map.of("type", "message", "text", "typed offline", "cid", "c-out"));
            JsonNode ack = alice.next("message");
            assertThat(ack.path("duplicate").asBoolean()).isTrue();
            assertThat(ack.path("seq").asLong()).isEqualTo(welcome.path("history").get(0).path("seq").asLong());
        }
        assertThat(store.after("outbox", 0, 10)).extracting(ChatMessage::cid).containsExactly("c-out");
    }

    @Test
    void concurrentSendersProduceOneGapFreeSequence() throws Exception {
        int senders = 4;
        int each = 40;
        List<TestClient> clients = new ArrayList<>();
        try (TestClient observer = join("room=concurrent&name=Observer")) {
            long start = observer.next("welcome").path("lastSeq").asLong();
            for (int i = 0; i < senders; i++) {
                TestClient c = join("room=concurrent&name=s" + i);
                c.next("welcome");
                clients.add(c);
            }
            List<CompletableFuture<Void>> sending = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                TestClient c = clients.get(i);
                String prefix = "s" + i + "-";
                sending.add(CompletableFuture.runAsync(() -> {
                    try {
                        for (int n = 0; n < each; n++) {
                            c.send(prefix + n);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            List<Long> seqs = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            for (int n = 0; n < senders * each; n++) {
                JsonNode m = observer.next("message");
                seqs.add(m.path("seq").asLong());
                texts.add(m.path("text").asString());
            }
            assertThat(seqs).isEqualTo(range(start + 1, start + senders * each));
            for (int i = 0; i < senders; i++) {
                String prefix = "s" + i + "-";
                assertThat(texts.stream().filter(t -> t.startsWith(prefix)).toList()).as("each sender's own order")
                        .isEqualTo(range(0, each - 1).stream().map(n -> prefix + n).toList());
            }
        } finally {
            for (TestClient c : clients) {
                c.close();
            }
        }
    }

    @Test
    void recoveryRacingWithLiveTrafficLosesDuplicatesAndReordersNothing() throws Exception {
        int burst = 400;
        List<TestClient> joiners = Collections.synchronizedList(new ArrayList<>());
        try (TestClient sender = join("room=race&name=Sender"); TestClient observer = join("room=race&name=Observer")) {
            sender.next("welcome");
            observer.next("welcome");
            long since = sendAndAwaitAcks(sender, "warm-up ", 10) - 5;
            long last = since + 5 + burst;
            CompletableFuture<Void> hammering = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 1; i <= burst; i++) {
                        sender.send("burst " + i);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // Join again and again while the burst is being stored and broadcast: by the query
            // parameter and by the join command, each asking for everything after 'since'.
            List<JsonNode> welcomes = new ArrayList<>();
            int seenLive = 0;
            int joinEvery = burst / 8;
            while (seenLive < burst) {
                observer.next("message");
                seenLive++;
                if (seenLive % joinEvery == 1) {
                    TestClient joiner;
                    if (joiners.size() % 2 == 0) {
                        joiner = join("room=race&name=j" + joiners.size() + "&since=" + since);
                    } else {
                        joiner = join("room=race-lobby&name=j" + joiners.size());
                        joiner.next("welcome");
                        joiner.sendJson(Map.of("type", "join", "room", "race", "since", since));
                    }
                    joiners.add(joiner);
                    welcomes.add(joiner.next(e -> "welcome".equals(e.path("type").asString())
                            && "race".equals(e.path("room").asString()), "the welcome to 'race'"));
                }
            }
            hammering.get(30, TimeUnit.SECONDS);
            assertThat(joiners).hasSizeGreaterThanOrEqualTo(8);
            for (int i = 0; i < joiners.size(); i++) {
                assertThat(seqsThrough(welcomes.get(i), joiners.get(i), last)).as("joiner %d", i)
                        .isEqualTo(range(since + 1, last));
            }
            for (TestClient joiner : joiners) {
                joiner.sendJson(Map.of("type", "ping"));
                joiner.nextWithoutAny("message", "pong");
            }
        } finally {
            for (TestClient joiner : joiners) {
                joiner.close();
            }
        }
    }
}
