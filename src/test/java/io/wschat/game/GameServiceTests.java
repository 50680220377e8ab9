package io.wschat.game;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.databind.json.JsonMapper;

import io.wschat.chat.ClientConnection;
import io.wschat.chat.Disconnect;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The games' scheduling through {@link GameService}: a stuck game holds up no other, an empty game ends. */
class GameServiceTests {

    private static final GameRules RULES = new GameRules(20, 1000, 300, 20, 10, 3, 1200, 100, 4, 8);

    @Test
    void shouldKeepTickingOtherGamesWhileOneIsStuck() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (GameService service = new GameService(RULES, 2, JsonMapper.builder().build(), GameMeters.NONE,
                (id, address, reason) -> { }, () -> 1L)) {
            Connection stuck = new Connection("stuck", release);
            Connection healthy = new Connection("healthy", null);
            service.join("stuck", stuck, "s", false);
            await().atMost(Duration.ofSeconds(10)).until(() -> stuck.states.get() >= 1);
            service.join("healthy", healthy, "h", false);
            int before = healthy.states.get();
            // The stuck game's tick is blocked in a send; the other game goes on ticking meanwhile.
            await().atMost(Duration.ofSeconds(10)).until(() -> healthy.states.get() >= before + 20);
            assertThat(stuck.states.get()).isEqualTo(1);
            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> stuck.states.get() > 2);
        }
    }

    @Test
    void shouldEndAGameWhenItsLastPlayerLeaves() {
        try (GameService service = new GameService(RULES, 1, JsonMapper.builder().build(), GameMeters.NONE,
                (id, address, reason) -> { }, () -> 1L)) {
            Connection a = new Connection("a", null);
            Connection b = new Connection("b", null);
            GamePlayer first = service.join("short", a, "a", false);
            GamePlayer second = service.join("short", b, "b", false);
            assertThat(service.games()).singleElement().satisfies(g -> assertThat(g.players()).containsExactly("a", "b"));
            service.leave(first);
            assertThat(service.gameCount()).isEqualTo(1);
            service.leave(second);
            assertThat(service.gameCount()).isZero();
            assertThat(service.games()).isEmpty();
            // A new game of the same name starts afresh.
            Connection c = new Connection("c", null);
            assertThat(service.join("short", c, "c", false).id()).isEqualTo(1);
        }
    }

    /** A connection that counts state updates; with a latch, its first update blocks until released (a stuck tick). */
    private static final class Connection implements ClientConnection {
        final String id;
        final CountDownLatch blockFirst;
        final AtomicInteger states = new AtomicInteger();

        Connection(String id, CountDownLatch blockFirst) {
            this.id = id;
            this.blockFirst = blockFirst;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1";
        }

        @Override
        public void send(String encodedFrame) {
        }

        @Override
        public boolean sendLatest(String key, String encodedFrame) {
            if (states.incrementAndGet() == 1 && blockFirst != null) {
                try {
                    blockFirst.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return false;
        }

        @Override
        public boolean sendLatest(String key, byte[] binaryFrame) {
            return sendLatest(key, "");
        }

        @Override
        public void close(Disconnect reason) {
        }
    }
}
