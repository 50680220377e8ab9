package io.wschat.history;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import io.wschat.support.EmbeddedPostgresHolder;
import io.wschat.support.ServerProcess;
import io.wschat.support.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fault suite: the server is a real process killed with {@code kill -9} right after its clients
 * saw their acknowledgements, then started again on the same database. Whatever a client saw
 * acknowledged must be there after the restart, under the same sequence number, delivered to
 * every member exactly once and in order, and the room's sequence goes on above it.
 */
class StoreCrashTests {

    private static final int MESSAGES = 50;

    @TempDir
    Path workDir;

    @Test
    void killingTheServerOnTheDefaultSqliteFileLosesNoAcknowledgedMessage() throws Exception {
        // No datasource argument: the default ./data/wschat.db, in this test's working directory.
        crashAndRestart(() -> ServerProcess.builder(workDir).name("sqlite-crash"));
    }

    @Test
    void killingTheServerOnPostgresLosesNoAcknowledgedMessage() throws Exception {
        String url = EmbeddedPostgresHolder.newDatabaseUrl();
        crashAndRestart(() -> ServerProcess.builder(workDir).name("postgres-crash").profile("postgres")
                .args("spring.datasource.url=" + url, "spring.datasource.username=postgres", "spring.datasource.password="));
    }

    interface Server {
        ServerProcess.Builder builder();
    }

    /** A member's view of the room: every message event it received, in arrival order. */
    private static final class Member {
        final String name;
        final List<JsonNode> received = new ArrayList<>();
        TestClient client;
        String id;

        Member(String name) {
            this.name = name;
        }

        void join(ServerProcess server, String since) throws Exception {
            client = TestClient.connect(server.wsUrl("/chat?room=crash&name=" + name + "&client=" + name.toLowerCase()
                    + (since == null ? "" : "&since=" + since)));
            JsonNode welcome = client.next("welcome");
            id = welcome.path("id").asString();
            welcome.path("history").forEach(received::add);
        }

        long lastSeq() {
            return received.isEmpty() ? 0 : received.get(received.size() - 1).path("seq").asLong();
        }

        List<Long> seqs() {
            return received.stream().map(m -> m.path("seq").asLong()).toList();
        }
    }

    private void crashAndRestart(Server server) throws Exception {
        List<JsonNode> acknowledged = new ArrayList<>();
        Member alice = new Member("Alice");
        Member bob = new Member("Bob");
        int port;
        try (ServerProcess first = server.builder().args("chat.limits.rate.messages-per-second=0").start()) {
            port = first.port();
            alice.join(first, null);
            bob.join(first, null);
            for (int i = 1; i <= MESSAGES; i++) {
                alice.client.sendJson(Map.of("type", "message", "text", "m" + i, "cid", "c-" + i));
            }
            // The sender's own copy of each message is its acknowledgement.
            while (acknowledged.size() < MESSAGES) {
                JsonNode event = alice.client.next("message");
                alice.received.add(event);
                if (event.path("fromId").asString().equals(alice.id)) {
                    acknowledged.add(event);
                }
            }
            // Bob is mid-stream: whatever has reached him so far, the rest he recovers after the restart.
            while (bob.client.pending() > 0) {
                JsonNode event = bob.client.next();
                if (event.path("type").asString().equals("message")) {
                    bob.received.add(event);
                }
            }
            first.kill();
        }
        assertThat(acknowledged).extracting(m -> m.path("text").asString())
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, MESSAGES).mapToObj(i -> "m" + i).toList());
        List<Long> ackedSeqs = acknowledged.stream().map(m -> m.path("seq").asLong()).toList();

        try (ServerProcess second = server.builder().port(port).args("chat.limits.rate.messages-per-second=0").start()) {
            Member carol = new Member("Carol");
            carol.join(second, "0");
            assertThat(carol.received).as("history after the crash (server log: %s)", second.log())
                    .extracting(m -> m.path("seq").asLong() + ":" + m.path("text").asString())
                    .containsExactlyElementsOf(acknowledged.stream()
                            .map(m -> m.path("seq").asLong() + ":" + m.path("text").asString()).toList());
            bob.join(second, Long.toString(bob.lastSeq()));
            assertThat(bob.seqs()).as("Bob: every acknowledged message exactly once, in order").isEqualTo(ackedSeqs);

            alice.client.close();
            alice.received.clear();
            alice.join(second, Long.toString(ackedSeqs.get(MESSAGES - 1)));
            alice.client.sendJson(Map.of("type", "message", "text", "after the crash", "cid", "c-after"));
            JsonNode next = alice.client.next("message");
            assertThat(next.path("text").asString()).isEqualTo("after the crash");
            assertThat(next.path("seq").asLong()).as("the sequence goes on above every acknowledged message")
                    .isEqualTo(ackedSeqs.get(MESSAGES - 1) + 1);
            assertThat(bob.client.next("message").path("seq").asLong()).isEqualTo(next.path("seq").asLong());
            // Alice's client id, presented again, makes the resend recognisable across the crash.
            alice.client.sendJson(Map.of("type", "message", "text", "m50 again", "cid", "c-50"));
            JsonNode resent = alice.client.next("message");
            assertThat(resent.path("duplicate").asBoolean()).as("a resend across the crash is recognised").isTrue();
            assertThat(resent.path("seq").asLong()).isEqualTo(ackedSeqs.get(MESSAGES - 1));
            alice.client.close();
            bob.client.close();
            carol.client.close();
        }
    }
}
