package io.wschat.game;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import io.wschat.support.EmbeddedRedis;
import io.wschat.support.RawWebSocket;
import io.wschat.support.RunningApp;
import io.wschat.support.SqliteFiles;
import io.wschat.support.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One game, two instances: two real servers on one real Redis (and one shared database, which
 * the chat needs). A player on each plays the same game; the instance the game started on runs
 * it, the other mirrors it. Then the owner goes away, and the mirrored player is told so, closed
 * with 1012, and plays on after reconnecting.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GameClusterTests {

    private static final int OPCODE_BINARY = 0x2;
    private static final Duration LEASE = Duration.ofSeconds(1);
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private static EmbeddedRedis redis;
    private static String sharedDatabase;
    private static RunningApp a;
    private static RunningApp b;

    @BeforeAll
    static void startInstances() {
        redis = EmbeddedRedis.start();
        sharedDatabase = SqliteFiles.newDatabaseUrl("games");
        a = instance("a");
        b = instance("b");
    }

    @AfterAll
    static void stopInstances() {
        if (a != null) {
            a.close();
        }
        b.close();
        redis.close();
    }

    private static RunningApp instance(String id) {
        return RunningApp.start(
                "spring.datasource.url=" + sharedDatabase,
                "chat.broker.type=redis",
                "spring.data.redis.port=" + redis.port(),
                "chat.broker.instance-id=" + id,
                "chat.broker.heartbeat-interval=200ms",
                "chat.broker.presence-ttl=1s",
                "chat.game.owner-lease=" + LEASE.toMillis() + "ms",
                "spring.data.redis.connect-timeout=5s", "spring.data.redis.timeout=5s");
    }

    private static TestClient player(RunningApp app, String game, String name) throws Exception {
        return TestClient.connect("ws://localhost:" + app.port() + "/game/ws?game=" + game + "&name=" + name);
    }

    @Test
    @Order(1)
    void shouldLetPlayersOnTwoInstancesPlayOneGameAndSeeEachOtherMove() throws Exception {
        try (TestClient alice = player(a, "span", "alice")) {
            int aliceId = alice.next("game.welcome").path("you").path("id").asInt();
            try (TestClient bob = player(b, "span", "bob")) {
                JsonNode welcome = bob.next("game.welcome");
                int bobId = welcome.path("you").path("id").asInt();
                assertThat(bobId).isNotEqualTo(aliceId);
                assertThat(welcome.path("players").findValuesAsString("name")).containsExactly("alice", "bob");
                assertThat(alice.next("game.joined").path("player").path("name").asString()).isEqualTo("bob");
                assertThat(b.context().getBean(GameService.class).gameCount()).as("the game runs on a only").isZero();

                int arena = welcome.path("rules").path("arena").asInt();
                Steering aliceSteers = new Steering(alice, aliceId, arena, 1, 0);
                Steering bobSteers = new Steering(bob, bobId, arena, 0, 1);
                await().atMost(DEADLINE).pollInterval(Duration.ofMillis(1)).until(() -> {
                    aliceSteers.step();
                    bobSteers.step();
                    return aliceSteers.sawMove(bobId, 0, 1) && bobSteers.sawMove(aliceId, 1, 0)
                            && bobSteers.acknowledged > 10;
                });
                assertThat(bobSteers.acknowledged).as("b's inputs, applied on a, acknowledged to b").isLessThanOrEqualTo(bobSteers.seq);

                // The lobby of each instance lists the game with both players.
                for (RunningApp app : new RunningApp[] {a, b}) {
                    await().atMost(DEADLINE).until(() -> app.context().getBean(GameService.class).games().stream()
                            .anyMatch(g -> g.name().equals("span") && g.players().containsAll(java.util.List.of("alice", "bob"))));
                }
                // A binary player on the mirror: the same frames as on the owner, deltas against its acknowledged tick.
                try (RawWebSocket carol = RawWebSocket.handshake(b.port(), "/game/ws?game=span&name=carol",
                        Map.of("Sec-WebSocket-Protocol", "wschat-game-binary"))) {
                    assertThat(carol.header("sec-websocket-protocol")).isEqualTo("wschat-game-binary");
                    ByteBuffer full = nextBinary(carol);
                    assertThat(full.get(0)).as("a full snapshot first").isEqualTo((byte) 1);
                    assertThat(full.getShort(18)).as("alice, bob and carol in it").isEqualTo((short) 3);
                    int tick = full.getInt(1);
                    carol.send(OPCODE_BINARY, true, ByteBuffer.allocate(11).put((byte) 0x10).putInt(1).put((byte) -100)
                            .put((byte) 0).putInt(tick).array());
                    await().atMost(DEADLINE).pollInterval(Duration.ofMillis(1)).until(() -> {
                        ByteBuffer state = nextBinary(carol);
                        return state.get(0) == 2 && state.getInt(5) == tick && state.getInt(9) == 1;
                    });
                }
                assertThat(alice.next("game.left").path("player").path("name").asString()).isEqualTo("carol");
                // The game's chat crosses instances as any room's does.
                bob.sendJson(Map.of("type", "message", "text", "gg"));
                assertThat(alice.next("message").path("text").asString()).isEqualTo("gg");
            }
            assertThat(alice.next("game.left").path("player").path("name").asString()).isEqualTo("bob");
        }
    }

    @Test
    @Order(2)
    void shouldEndTheGameForPlayersOnOtherInstancesWhenItsOwnerDiesAndLetThemPlayOn() throws Exception {
        TestClient carol = player(a, "fall", "carol");
        carol.next("game.welcome");
        // A raw socket shows the close code as sent: Tomcat's client reports 1012 as 1002.
        try (RawWebSocket dave = RawWebSocket.handshake(b.port(), "/game/ws?game=fall&name=dave", Map.of())) {
            assertThat(dave.nextTextContaining("game.welcome")).contains("carol");
            dave.nextTextContaining("\"type\":\"state\"");
            a.close();
            a = null;
            assertThat(dave.nextTextContaining("game.ended")).contains("\"reason\":\"host_lost\"");
            assertThat(dave.awaitCloseCode()).isEqualTo(1012);
        }
        try (TestClient again = player(b, "fall", "dave")) {
            assertThat(again.next("game.welcome").path("players").findValuesAsString("name")).containsExactly("dave");
            assertThat(again.next("state").path("full").asBoolean()).isTrue();
            assertThat(b.context().getBean(GameService.class).gameCount()).as("b runs the game now").isEqualTo(1);
        }
    }

    private static ByteBuffer nextBinary(RawWebSocket socket) throws IOException {
        while (true) {
            RawWebSocket.Frame frame = socket.nextFrame();
            assertThat(frame.opcode()).as("not closed").isNotEqualTo(RawWebSocket.OPCODE_CLOSE);
            if (frame.opcode() == OPCODE_BINARY) {
                return ByteBuffer.wrap(frame.payload());
            }
        }
    }

    /**
     * One player: reads each state, keeps every player's position, and answers with an input
     * acknowledging it. It steers along one axis, towards the side of the arena farther from
     * where it spawned, so that a spawn near a wall cannot pin it there.
     */
    private static final class Steering {
        final TestClient client;
        final int id;
        final int arena;
        final int alongX;
        final int alongY;
        final Map<Integer, int[]> first = new HashMap<>();
        final Map<Integer, int[]> latest = new HashMap<>();
        int direction;
        long seq;
        long acknowledged;

        Steering(TestClient client, int id, int arena, int alongX, int alongY) {
            this.client = client;
            this.id = id;
            this.arena = arena;
            this.alongX = alongX;
            this.alongY = alongY;
        }

        void step() throws Exception {
            JsonNode state = client.next("state");
            acknowledged = state.path("ack").asLong();
            for (JsonNode p : state.path("players")) {
                int[] at = {p.get(1).asInt(), p.get(2).asInt()};
                first.putIfAbsent(p.get(0).asInt(), at);
                latest.put(p.get(0).asInt(), at);
            }
            if (direction == 0 && first.containsKey(id)) {
                int[] spawn = first.get(id);
                direction = spawn[0] * alongX + spawn[1] * alongY < arena / 2 ? 100 : -100;
            }
            client.sendJson(Map.of("type", "input", "seq", ++seq, "dx", direction * alongX, "dy", direction * alongY,
                    "ack", state.path("tick").asLong()));
        }

        /** Whether player {@code id} moved more than 30 units, either way, along the axis given. */
        boolean sawMove(int id, int alongX, int alongY) {
            int[] from = first.get(id);
            int[] to = latest.get(id);
            return from != null && Math.abs((to[0] - from[0]) * alongX + (to[1] - from[1]) * alongY) > 30;
        }
    }
}
