package io.wschat.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import tools.jackson.databind.json.JsonMapper;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.wschat.game.GameInfo;
import io.wschat.game.GameRelay;
import io.wschat.game.GameRelayContract;
import io.wschat.support.EmbeddedRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The games' relay on a real Redis, wired as {@link RedisBrokerConfiguration} wires it: one
 * owner per game at a time, a lapsed or released lease taken by another instance, the lobby,
 * and messages between owner and mirrors in order, besides {@link GameRelayContract}. Each test
 * has its own key prefix.
 */
class RedisGameRelayTests extends GameRelayContract {

    private static final Duration LEASE = Duration.ofMillis(500);
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static EmbeddedRedis redis;

    private final String prefix = "games-" + UUID.randomUUID() + ":";
    private final List<AutoCloseable> running = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = EmbeddedRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Override
    protected GameRelay relay() {
        return instance("solo", new Recorder());
    }

    @Override
    protected Duration lease() {
        return LEASE;
    }

    @AfterEach
    void stopInstances() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    @Test
    void shouldGiveAGameToOneInstanceAndListItInEveryLobby() {
        RedisGameRelay a = instance("a", new Recorder());
        RedisGameRelay b = instance("b", new Recorder());
        assertThat(a.claim("arena", LEASE)).isEqualTo("a");
        assertThat(b.claim("arena", LEASE)).as("taken: b learns who runs it").isEqualTo("a");
        assertThat(a.claim("arena", LEASE)).isEqualTo("a");
        assertThat(b.renew("arena", info("arena", "bob"), LEASE)).as("only the holder renews").isFalse();
        assertThat(a.renew("arena", info("arena", "alice", "bob"), LEASE)).isTrue();
        assertThat(b.lobby()).singleElement().satisfies(g -> assertThat(g.players()).containsExactly("alice", "bob"));
    }

    @Test
    void shouldLetAnotherInstanceTakeAGameWhoseLeaseLapsedOrWasGivenUp() {
        RedisGameRelay a = instance("a", new Recorder());
        RedisGameRelay b = instance("b", new Recorder());
        assertThat(a.claim("left", LEASE)).isEqualTo("a");
        a.renew("left", info("left", "alice"), LEASE);
        a.release("left");
        assertThat(b.lobby()).as("a released game leaves the lobby").isEmpty();
        assertThat(b.claim("left", LEASE)).isEqualTo("b");

        assertThat(a.claim("crashed", LEASE)).isEqualTo("a");
        a.renew("crashed", info("crashed", "alice"), LEASE);
        // a stops renewing, as a crashed instance does: the lease and the lobby entry lapse.
        await().atMost(DEADLINE).until(() -> "b".equals(b.claim("crashed", LEASE)));
        assertThat(b.lobby()).isEmpty();
        assertThat(a.renew("crashed", info("crashed", "alice"), LEASE)).as("a finds its game taken").isFalse();
    }

    @Test
    void shouldCarryMessagesBetweenOwnerAndMirrorsInOrder() {
        Recorder atA = new Recorder();
        Recorder atB = new Recorder();
        RedisGameRelay a = instance("a", atA);
        RedisGameRelay b = instance("b", atB);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            sent.add("g:" + i);
            a.toMirrors("g", new byte[] {(byte) i});
            b.toOwner("g", new byte[] {(byte) i});
        }
        await().atMost(DEADLINE).until(() -> atB.fromOwner.size() == 200 && atA.fromMirror.size() == 200);
        assertThat(atB.fromOwner).containsExactlyElementsOf(sent);
        assertThat(atA.fromMirror).containsExactlyElementsOf(sent);
        assertThat(atA.fromOwner).as("the owner hears its own publications too, and its GameService ignores them").hasSize(200);
    }

    private static GameInfo info(String game, String... players) {
        return new GameInfo(game, List.of(players), 1, false, 60, 1);
    }

    private RedisGameRelay instance(String id, GameRelay.Listener listener) {
        BrokerProperties properties = new BrokerProperties("redis", prefix, id, Duration.ofSeconds(15),
                Duration.ofMillis(200), Duration.ofMillis(250), Duration.ofSeconds(2), Duration.ofMillis(200), 1000, 10_000, 10_000);
        var factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
        factory.afterPropertiesSet();
        factory.start();
        running.add(factory::destroy);
        var template = new StringRedisTemplate(factory);
        var registry = new SimpleMeterRegistry();
        var backplane = new RedisBackplane(template, properties, registry);
        var relay = new RedisGameRelay(template, backplane, properties, JsonMapper.builder().build(), registry);
        relay.listen(listener);
        running.add(relay);
        var container = new RedisMessageListenerContainer();
        container.setConnectionFactory(factory);
        container.setTaskExecutor(relay.deliveryExecutor());
        List<org.springframework.data.redis.listener.Topic> topics = new ArrayList<>(relay.channelPatterns().stream().map(PatternTopic::new).toList());
        topics.add(new ChannelTopic(RedisBackplane.probeChannel(properties)));
        container.addMessageListener(relay, topics);
        container.afterPropertiesSet();
        container.start();
        running.add(container::destroy);
        backplane.start();
        running.add(backplane::stop);
        await().atMost(DEADLINE).until(backplane::isUp);
        return relay;
    }

    /** What one instance received, as {@code game:firstByte}. */
    private static final class Recorder implements GameRelay.Listener {
        final List<String> fromOwner = new CopyOnWriteArrayList<>();
        final List<String> fromMirror = new CopyOnWriteArrayList<>();

        @Override
        public void fromOwner(String game, byte[] message) {
            fromOwner.add(game + ":" + Byte.toUnsignedInt(message[0]));
        }

        @Override
        public void fromMirror(String game, byte[] message) {
            fromMirror.add(game + ":" + Byte.toUnsignedInt(message[0]));
        }
    }
}
