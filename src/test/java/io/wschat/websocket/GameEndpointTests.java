package io.wschat.websocket;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
import io.wschat.game.GameService;
import io.wschat.support.RawWebSocket;
import io.wschat.support.TestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /game/ws} over real sockets: state every tick, full snapshot on join, hostile inputs
 * answered without stopping the game, and a client that stops reading kept current by
 * conflation. 200 coins make every full snapshot several kilobytes, and the outbound buffer is
 * small, so a backlog of state would overflow it within a second; the server's socket send
 * buffer is fixed at a few kilobytes, so a client that stops reading blocks the server's writes
 * after a few frames instead of after megabytes of kernel buffer.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"chat.outbound.buffer-limit=16KB", "chat.game.coins=200", "chat.game.round-length=600s"})
class GameEndpointTests {

    @TestConfiguration
    static class SmallSocketBuffers {
        @Bean
        TomcatConnectorCustomizer smallSendBuffer() {
            return connector -> connector.setProperty("socket.txBufSize", "8192");
        }
    }

    private static final Pattern TICK = Pattern.compile("\"tick\":(\\d+)");
    /** 150 ms at 20 Hz. */
    private static final long MAX_TICK_GAP = 3;

    @LocalServerPort
    int port;

    @Autowired
    GameService games;

    @Autowired
    MeterRegistry registry;

    private String url(String game, String name) {
        return "ws://localhost:" + port + "/game/ws?game=" + game + "&name=" + name;
    }

    @Test
    void shouldSendAFullSnapshotOnJoinThenDeltasAgainstTheAcknowledgedState() throws Exception {
        try (TestClient alice = TestClient.connect(url("deltas", "alice"))) {
            JsonNode welcome = alice.next("game.welcome");
            assertThat(welcome.path("format").asString()).isEqualTo("json");
            JsonNode first = alice.next("state");
            assertThat(first.path("full").asBoolean()).isTrue();
            assertThat(first.path("coins").size()).isEqualTo(200);
            long tick = first.path("tick").asLong();
            alice.sendJson(Map.of("type", "input", "seq", 1, "dx", 100, "dy", 0, "ack", tick));
            JsonNode delta = alice.next(e -> "state".equals(e.path("type").asString()) && !e.path("full").asBoolean()
                    && e.path("ack").asLong() == 1, "a delta acknowledging input 1");
            assertThat(delta.path("base").asLong()).isEqualTo(tick);
            assertThat(delta.path("coins").size()).as("coins that did not move are not resent").isLessThan(200);
        }
    }

    @Test
    void shouldAnswerHostileInputsAndGoOn() throws Exception {
        try (TestClient mallory = TestClient.connect(url("hostile", "mallory"))) {
            int id = mallory.next("game.welcome").path("you").path("id").asInt();
            mallory.sendJson(Map.of("type", "input", "seq", 1, "dx", 500, "dy", 0));
            assertThat(nextError(mallory)).isEqualTo("input_range");
            mallory.send("{\"type\":\"input\",\"seq\":\"two\",\"dx\":0,\"dy\":0}");
            assertThat(nextError(mallory)).isEqualTo("bad_input");
            mallory.sendJson(Map.of("type", "input", "seq", 3, "dx", 0, "dy", 0, "player", id + 1));
            assertThat(nextError(mallory)).isEqualTo("not_your_player");
            for (int seq = 10; seq < 40; seq++) {
                mallory.sendJson(Map.of("type", "input", "seq", seq, "dx", 0, "dy", 0));
            }
            assertThat(nextError(mallory)).isEqualTo("input_rate");
            long before = mallory.next("state").path("tick").asLong();
            assertThat(mallory.next(e -> e.path("tick").asLong() > before + 5, "the game going on").path("type").asString())
                    .isEqualTo("state");
            assertThat(registry.get("game.inputs.refused").tag("reason", "input_rate").counter().count()).isPositive();
            // Chat in the game's room still works on the same connection.
            mallory.sendJson(Map.of("type", "message", "text", "gg"));
            assertThat(mallory.next("message").path("text").asString()).isEqualTo("gg");
        }
    }

    private static String nextError(TestClient client) throws InterruptedException {
        return client.next("error").path("code").asString();
    }

    @Test
    void shouldTakeBinaryInputsAndAnswerBinaryGarbageWhereNegotiated() throws Exception {
        BinaryClient client = BinaryClient.connect(url("binary", "bob"), "wschat-game-binary");
        try {
            assertThat(client.session.getAcceptedProtocol()).isEqualTo("wschat-game-binary");
            ByteBuffer state = client.nextBinary();
            assertThat(state.get(0)).as("a full snapshot first").isEqualTo((byte) 1);
            int tick = state.getInt(1);
            client.session.sendMessage(new BinaryMessage(ByteBuffer.allocate(11).put((byte) 0x10).putInt(1)
                    .put((byte) 0).put((byte) 100).putInt(tick).flip()));
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                ByteBuffer next = client.nextBinary();
                return next.get(0) == 2 && next.getInt(9) == 1;
            });
            client.session.sendMessage(new BinaryMessage(new byte[] {1, 2, 3}));
            await().atMost(Duration.ofSeconds(10)).until(() -> client.texts.take().contains("\"bad_input\""));
            assertThat(client.session.isOpen()).isTrue();
            assertThat(client.nextBinary().getInt(1)).isGreaterThan(tick);
        } finally {
            client.session.close();
        }
    }

    @Test
    void shouldCloseWith1003OnBinaryWhereNotNegotiated() throws Exception {
        BinaryClient client = BinaryClient.connect(url("nobinary", "carol"), null);
        assertThat(client.texts.poll(10, TimeUnit.SECONDS)).isNotNull();
        client.session.sendMessage(new BinaryMessage(new byte[] {0x10, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0}));
        assertThat(client.closed.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(1003);
    }

    @Test
    void shouldConflateStateForAClientThatStopsReadingAndKeepItOpenAndCurrent() throws Exception {
        double conflatedBefore = registry.get("game.updates.conflated").counter().count();
        try (TestClient fast = TestClient.connect(url("slow", "fast"));
             RawWebSocket slow = RawWebSocket.handshake(port, "/game/ws?game=slow&name=slow", Map.of(), 4096)) {
            assertThat(slow.status()).isEqualTo(101);
            assertThat(slow.nextText()).contains("welcome");
            // The slow client never acknowledges, so each update is a full snapshot of several kilobytes.
            long firstTick = fast.next("state").path("tick").asLong();
            List<Long> fastTicks = new ArrayList<>();
            long last = firstTick;
            // It stops reading while the fast one reads 60 ticks (3 s at 20 Hz): far more than 16 KB of state.
            while (fastTicks.size() < 60) {
                JsonNode state = fast.next("state");
                fastTicks.add(state.path("tick").asLong() - last);
                last = state.path("tick").asLong();
            }
            // Every tick, or nearly: a state still unsent when the next is ready is replaced by it, which
            // a busy machine may do to any client; a client stalled by the slow one would miss many.
            assertThat(fastTicks).as("the fast player keeps up meanwhile").allMatch(gap -> gap >= 1 && gap <= MAX_TICK_GAP);
            assertThat(registry.get("game.updates.conflated").counter().count()).isGreaterThan(conflatedBefore);
            // It reads again: past what the kernel's socket buffers still held, it is given the game's
            // newest state (within one tick of the server's newest) without a backlog to work through.
            int[] framesRead = {0};
            long[] slowTick = {0};
            await().atMost(Duration.ofSeconds(3)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(() -> {
                String frame = slow.nextText();
                assertThat(frame).as("the slow client is not closed").isNotNull();
                Matcher tick = TICK.matcher(frame);
                if (!frame.startsWith("{\"type\":\"state\"") || !tick.find()) {
                    return false;
                }
                framesRead[0]++;
                slowTick[0] = Long.parseLong(tick.group(1));
                return slowTick[0] >= newestTick("slow") - 1;
            });
            assertThat(framesRead[0]).as("far fewer frames than ticks went by").isLessThan((int) (slowTick[0] - firstTick) / 2);
            // The fast player kept up meanwhile too, up to the tick the slow client caught up with.
            while (last < slowTick[0]) {
                long tick = fast.next("state").path("tick").asLong();
                assertThat(tick).as("the fast player's next tick after " + last).isBetween(last + 1, last + MAX_TICK_GAP);
                last = tick;
            }
            assertThat(games.games()).anySatisfy(g -> assertThat(g.players()).containsExactlyInAnyOrder("fast", "slow"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> games.games().stream().noneMatch(g -> g.name().equals("slow")));
    }

    private long newestTick(String game) {
        return games.games().stream().filter(g -> g.name().equals(game)).findFirst().orElseThrow().tick();
    }

    /** A client that takes binary frames, which {@link TestClient} does not. */
    static final class BinaryClient extends AbstractWebSocketHandler {
        final BlockingQueue<ByteBuffer> binaries = new LinkedBlockingQueue<>();
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
        WebSocketSession session;

        static BinaryClient connect(String uri, String protocol) throws Exception {
            BinaryClient client = new BinaryClient();
            WebSocketHttpHeaders headers = new WebSocketHttpHeaders();
            if (protocol != null) {
                headers.setSecWebSocketProtocol(protocol);
            }
            client.session = TestClient.newClient().execute(client, headers, URI.create(uri)).get(10, TimeUnit.SECONDS);
            return client;
        }

        ByteBuffer nextBinary() throws InterruptedException {
            ByteBuffer frame = binaries.poll(10, TimeUnit.SECONDS);
            assertThat(frame).as("a binary frame within 10 s").isNotNull();
            return frame;
        }

        @Override
        protected void handleTextMessage(WebSocketSession s, TextMessage message) {
            texts.add(message.getPayload());
        }

        @Override
        protected void handleBinaryMessage(WebSocketSession s, BinaryMessage message) {
            binaries.add(message.getPayload());
        }

        @Override
        public void afterConnectionClosed(WebSocketSession s, CloseStatus status) {
            closed.complete(status);
        }
    }
}
