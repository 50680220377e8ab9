package io.wschat.broker;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

import io.wschat.support.EmbeddedPostgresHolder;
import io.wschat.support.EmbeddedRedis;
import io.wschat.support.Nginx;
import io.wschat.support.ServerProcess;
import io.wschat.support.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The deployment as compose runs it, on one machine: two instances as separate JVMs on a real
 * Redis and a real PostgreSQL, behind Debian's nginx running the project's own
 * {@code deploy/nginx/nginx.conf}. Clients connect through nginx only. Redis goes down and
 * comes back, then one instance is killed with {@code kill -9} and its clients reconnect
 * (through nginx, so to the other instance) with {@code since}.
 *
 * <p>The assertion is always the same: every message whose acknowledgement its sender saw is
 * delivered to every member exactly once and in order, and no member is lost from presence.
 */
class LoadBalancedClusterTests {

    private static final String ROOM = "lb";
    private static final Duration PRESENCE_TTL = Duration.ofSeconds(2);
    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern GAUGE = Pattern.compile("\"value\":([0-9.]+)");

    @TempDir
    static Path work;

    private static EmbeddedRedis redis;
    private static ServerProcess a;
    private static ServerProcess b;
    private static Nginx nginx;

    @BeforeAll
    static void startTheDeployment() {
        redis = EmbeddedRedis.start();
        String database = EmbeddedPostgresHolder.newDatabaseUrl();
        // One after the other: on two shared cores, two JVMs starting together each take as long as both.
        a = instance("a", database);
        b = instance("b", database);
        nginx = Nginx.inFrontOf(work.resolve("nginx"), a.port(), b.port());
    }

    @AfterAll
    static void stopTheDeployment() {
        for (AutoCloseable running : new AutoCloseable[] {nginx, a, b, redis}) {
            try {
                if (running != null) {
                    running.close();
                }
            } catch (Exception e) {
                // the rest still has to stop
            }
        }
    }

    private static ServerProcess instance(String id, String database) {
        return ServerProcess.builder(work.resolve(id)).name("lb-" + id)
                .profile("postgres")
                .args("spring.datasource.url=" + database, "spring.datasource.username=postgres", "spring.datasource.password=",
                        "chat.broker.type=redis", "spring.data.redis.port=" + redis.port(), "chat.broker.instance-id=" + id,
                        "chat.broker.heartbeat-interval=500ms", "chat.broker.presence-ttl=" + PRESENCE_TTL.toMillis() + "ms",
                        "chat.limits.rate.messages-per-second=0",
                        // Two JVMs starting at once on a shared two-core machine: the 1 s default can miss the first handshake.
                        "spring.data.redis.connect-timeout=5s", "spring.data.redis.timeout=5s")
                .start();
    }

    @Test
    void managementIsNotServedThroughTheLoadBalancer() throws Exception {
        assertThat(nginx.status("/actuator/prometheus")).isEqualTo(404);
        assertThat(nginx.status("/actuator/health")).isEqualTo(404);
        assertThat(status(a.port(), "/actuator/prometheus")).as("not on the chat port either").isEqualTo(404);
        assertThat(status(a.managementPort(), "/actuator/prometheus")).as("on the management port").isEqualTo(200);
        assertThat(nginx.status("/")).as("the chat itself is").isEqualTo(200);
    }

    @Test
    void acknowledgedMessagesSurviveARedisOutageAndAKilledInstanceBehindNginx() throws Exception {
        List<Member> members = spreadOverBothInstances();
        Set<String> names = new HashSet<>();
        members.forEach(m -> names.add(m.name));
        Map<Long, String> acked = new LinkedHashMap<>();

        everyoneSends(members, "before", acked);
        await().atMost(SETTLE).until(() -> everyoneHas(members, acked));

        redis.stop();
        await().atMost(SETTLE).until(() -> !redisUp(a) && !redisUp(b));
        everyoneSends(members, "redis-down", acked);
        redis.startAgain();
        await().atMost(SETTLE).until(() -> redisUp(a) && redisUp(b));
        await().atMost(SETTLE).until(() -> everyoneHas(members, acked));

        a.kill();
        List<Member> onB = members.stream().filter(m -> m.host == b).toList();
        // While A's members are away, B's keep talking: A's members must get this from history when they return.
        everyoneSends(onB, "while-a-is-dead", acked);
        for (Member member : members) {
            if (member.host == a) {
                member.awaitClosed();
                member.reconnect();
                member.host = b;
            }
        }
        everyoneSends(members, "after", acked);
        await().atMost(SETTLE).until(() -> everyoneHas(members, acked));

        for (Member member : members) {
            assertThat(member.seqs).as(member.name + " got every message once, in order").isSorted().doesNotHaveDuplicates();
            assertThat(member.seqs).as(member.name + " got every acknowledged message").containsAll(acked.keySet());
        }
        // A's members lived on in Redis until its heartbeat key expired; then the list is exactly who is connected.
        await().atMost(PRESENCE_TTL.plus(SETTLE)).pollInterval(Duration.ofMillis(250))
                .until(() -> newcomerSees().equals(sorted(names)));
        for (Member member : members) {
            member.client.close();
        }
    }

    /** Members joined through nginx until both instances have some (nginx's workers pick in turn, each on its own). */
    private static List<Member> spreadOverBothInstances() throws Exception {
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < 8 && (members.size() < 4 || members.stream().noneMatch(m -> m.host == a)
                || members.stream().noneMatch(m -> m.host == b)); i++) {
            Member member = new Member("m" + i);
            member.reconnect();
            int expected = members.size() + 1;
            await().atMost(SETTLE).until(() -> connections(a) + connections(b) == expected);
            member.host = connections(a) > members.stream().filter(m -> m.host == a).count() ? a : b;
            members.add(member);
        }
        assertThat(members).as("members on instance A").anyMatch(m -> m.host == a);
        assertThat(members).as("members on instance B").anyMatch(m -> m.host == b);
        return members;
    }

    /** Each member sends one message and waits for its acknowledgement (its own copy, matched by cid). */
    private static void everyoneSends(List<Member> members, String round, Map<Long, String> acked) throws Exception {
        for (Member member : members) {
            String text = round + " from " + member.name;
            long seq = member.sendAcknowledged(text);
            acked.put(seq, text);
        }
    }

    private static boolean everyoneHas(List<Member> members, Map<Long, String> acked) {
        for (Member member : members) {
            member.drain();
            if (!member.seqs.containsAll(acked.keySet())) {
                return false;
            }
        }
        return true;
    }

    private static List<String> newcomerSees() throws Exception {
        try (TestClient probe = TestClient.connect(nginx.wsUrl("/chat?room=" + ROOM + "&name=Probe"))) {
            List<String> names = new ArrayList<>();
            probe.next("welcome").path("members").forEach(m -> names.add(m.path("name").asString()));
            names.remove("Probe");
            return sorted(names);
        }
    }

    private static List<String> sorted(Set<String> names) {
        return sorted(new ArrayList<>(names));
    }

    private static List<String> sorted(List<String> names) {
        names.sort(null);
        return names;
    }

    private static boolean redisUp(ServerProcess server) throws Exception {
        return get(server.managementPort(), "/actuator/health/redis").contains("\"status\":\"UP\"");
    }

    private static long connections(ServerProcess server) throws Exception {
        Matcher value = GAUGE.matcher(get(server.managementPort(), "/actuator/metrics/chat.connections"));
        return value.find() ? (long) Double.parseDouble(value.group(1)) : -1;
    }

    private static int status(int port, String path) throws Exception {
        return HTTP.send(request(port, path), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String get(int port, String path) throws Exception {
        try {
            return HTTP.send(request(port, path), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        }
    }

    private static HttpRequest request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(5)).build();
    }

    /** One person in the room across reconnects: what it has seen, and the last seq to pass as {@code since}. */
    private static final class Member {

        final String name;
        final List<Long> seqs = new ArrayList<>();
        final Map<String, Long> acks = new LinkedHashMap<>();
        TestClient client;
        ServerProcess host;
        Long lastSeq;

        Member(String name) {
            this.name = name;
        }

        /** Connects through nginx, with {@code since} once it has seen the room, and takes the welcome's history. */
        void reconnect() throws Exception {
            String since = lastSeq == null ? "" : "&since=" + lastSeq;
            client = TestClient.connect(nginx.wsUrl("/chat?room=" + ROOM + "&name=" + name + since));
            JsonNode welcome = client.next("welcome");
            if (lastSeq != null) {
                assertThat(welcome.path("truncated").asBoolean()).as("nothing missed was cut").isFalse();
            }
            welcome.path("history").forEach(this::received);
            lastSeq = Math.max(lastSeq == null ? 0 : lastSeq, welcome.path("lastSeq").asLong());
        }

        long sendAcknowledged(String text) throws Exception {
            String cid = UUID.randomUUID().toString();
            client.sendJson(Map.of("type", "message", "text", text, "cid", cid));
            await().atMost(SETTLE).pollInterval(Duration.ofMillis(20)).until(() -> {
                drain();
                return acks.containsKey(cid);
            });
            return acks.get(cid);
        }

        void drain() {
            for (JsonNode event = client.poll(); event != null; event = client.poll()) {
                if ("message".equals(event.path("type").asString())) {
                    received(event);
                }
            }
        }

        void awaitClosed() {
            await().atMost(SETTLE).until(() -> !client.isOpen());
            drain();
        }

        private void received(JsonNode message) {
            long seq = message.path("seq").asLong();
            seqs.add(seq);
            lastSeq = seq;
            if (message.hasNonNull("cid") && !message.path("duplicate").asBoolean()) {
                acks.put(message.path("cid").asString(), seq);
            }
        }
    }
}
