package io.wschat.history;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;

import io.wschat.WsChatApplication;
import io.wschat.support.EmbeddedPostgresHolder;
import io.wschat.support.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole applications started and stopped on one database: a SQLite file as the default one and, through
 * the {@code postgres} profile, a real PostgreSQL.
 */
class HistoryPersistenceTests {

    @TempDir
    Path dataDir;

    /** A running application; command-line arguments override every properties file. */
    private static final class App implements AutoCloseable {
        final ConfigurableApplicationContext context;

        App(String... args) {
            String[] all = Stream.concat(Stream.of("--server.port=0"), Stream.of(args)).toArray(String[]::new);
            this.context = new SpringApplicationBuilder(WsChatApplication.class).run(all);
        }

        TestClient join(String query) throws Exception {
            String port = context.getEnvironment().getProperty("local.server.port");
            return TestClient.connect("ws://localhost:" + port + "/chat?" + query);
        }

        @Override
        public void close() {
            context.close();
        }
    }

    private String sqliteFile() {
        return "--spring.datasource.url=jdbc:sqlite:" + dataDir.resolve("wschat.db")
                + "?journal_mode=WAL&synchronous=FULL&busy_timeout=10000&foreign_keys=true";
    }

    /** Sends {@code count} messages with cids and returns their acknowledgements' sequences. */
    private static List<Long> sendAcknowledged(TestClient client, String prefix, int count) throws Exception {
        for (int i = 1; i <= count; i++) {
            client.sendJson(Map.of("type", "message", "text", prefix + i, "cid", prefix + "-cid-" + i));
        }
        List<Long> acked = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            acked.add(client.next("message").path("seq").asLong());
        }
        return acked;
    }

    private static List<Long> seqs(JsonNode messages) {
        List<Long> seqs = new ArrayList<>();
        messages.forEach(m -> seqs.add(m.path("seq").asLong()));
        return seqs;
    }

    private void restartLosesNothingAcknowledged(String... args) throws Exception {
        List<Long> acked;
        try (App app = new App(args); TestClient alice = app.join("room=durable&name=Alice&client=alice")) {
            alice.next("welcome");
            acked = sendAcknowledged(alice, "before restart ", 20);
        }
        try (App app = new App(args); TestClient alice = app.join("room=durable&name=Alice&since=0&client=alice")) {
            JsonNode welcome = alice.next("welcome");
            assertThat(seqs(welcome.path("history"))).isEqualTo(acked);
            assertThat(welcome.path("history").get(0).path("text").asString()).isEqualTo("before restart 1");
            alice.sendJson(Map.of("type", "message", "text", "resent after restart", "cid", "before restart -cid-20"));
            JsonNode resendAck = alice.next("message");
            assertThat(resendAck.path("duplicate").asBoolean()).as("cids survive the restart too").isTrue();
            assertThat(resendAck.path("seq").asLong()).isEqualTo(acked.get(19));
            alice.send("after restart");
            assertThat(alice.next("message").path("seq").asLong()).as("the sequence goes on").isEqualTo(acked.get(19) + 1);
        }
    }

    @Test
    void restartingOnTheSameSqliteFileLosesNothingAcknowledged() throws Exception {
        restartLosesNothingAcknowledged(sqliteFile());
    }

    @Test
    void restartingOnTheSamePostgresDatabaseLosesNothingAcknowledged() throws Exception {
        restartLosesNothingAcknowledged("--spring.profiles.active=postgres",
                "--spring.datasource.url=" + EmbeddedPostgresHolder.newDatabaseUrl(),
                "--spring.datasource.username=postgres", "--spring.datasource.password=");
    }

    @Test
    void tooManyMissedOrPrunedMessagesAreTruncatedToTheNewestWithTheFirstSequenceSent() throws Exception {
        try (App app = new App(sqliteFile(), "--chat.limits.rate.messages-per-second=0", "--chat.history.max-recovery=58", "--chat.history.retention.max-count=50",
                "--chat.history.retention.batch-size=7");
             TestClient bob = app.join("room=flood&name=Bob")) {
            bob.next("welcome");
            long last = sendAcknowledged(bob, "f", 60).get(59);
            try (TestClient alice = app.join("room=flood&name=Alice&since=0")) {
                JsonNode welcome = alice.next("welcome");
                assertThat(welcome.path("truncated").asBoolean()).as("60 missed, 58 at most").isTrue();
                assertThat(welcome.path("firstSeq").asLong()).isEqualTo(last - 57);
                assertThat(seqs(welcome.path("history"))).hasSize(58).startsWith(last - 57).endsWith(last);
            }
            assertThat(app.context.getBean(HistoryPruner.class).pruneOnce()).isEqualTo(10);
            try (TestClient alice = app.join("room=flood&name=Alice&since=" + (last - 55))) {
                JsonNode welcome = alice.next("welcome");
                assertThat(welcome.path("truncated").asBoolean()).as("five of the missed ones were pruned").isTrue();
                assertThat(welcome.path("firstSeq").asLong()).isEqualTo(last - 49);
                assertThat(seqs(welcome.path("history"))).hasSize(50).startsWith(last - 49).endsWith(last);
            }
            try (TestClient carol = app.join("room=flood&name=Carol&since=" + (last - 3))) {
                JsonNode welcome = carol.next("welcome");
                assertThat(welcome.has("truncated")).isFalse();
                assertThat(welcome.has("firstSeq")).isFalse();
                assertThat(seqs(welcome.path("history"))).containsExactly(last - 2, last - 1, last);
            }
        }
    }
}
