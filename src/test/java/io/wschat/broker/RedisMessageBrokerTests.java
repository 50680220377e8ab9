package io.wschat.broker;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.wschat.chat.Broadcast;
import io.wschat.chat.MessageBroker;
import io.wschat.chat.MessageStore;
import io.wschat.chat.ProtocolCodec;
import io.wschat.support.EmbeddedRedis;
import org.junit.jupiter.api.AfterAll;
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
 * The broker contract on a real Redis, wired as {@link RedisBrokerConfiguration} wires it; each
 * test has its own key prefix, so instances of one test form a cluster of their own.
 */
class RedisMessageBrokerTests extends MessageBrokerContract {

    private static EmbeddedRedis redis;

    private final String prefix = "contract-" + UUID.randomUUID() + ":";
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
    protected MessageBroker createBroker(MessageStore store, ProtocolCodec codec, MessageBroker.Listener listener) {
        return instance("a", store, codec, listener);
    }

    /** One more instance of this test's cluster: its own connections, backplane and sequencer. */
    private RedisMessageBroker instance(String id, MessageStore store, ProtocolCodec codec, MessageBroker.Listener listener) {
        BrokerProperties properties = new BrokerProperties("redis", prefix, id, Duration.ofSeconds(15),
                Duration.ofMillis(200), Duration.ofMillis(250), Duration.ofSeconds(2), REORDER_WAIT, 1000, 10_000, 10_000);
        var factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
        factory.afterPropertiesSet();
        factory.start();
        running.add(factory::destroy);
        var template = new StringRedisTemplate(factory);
        var registry = new SimpleMeterRegistry();
        var meters = BrokerMeters.register(registry);
        var backplane = new RedisBackplane(template, properties, registry);
        var sequencer = new RoomSequencer(store, codec, backplane.storeReader(), properties.reorderWait(),
                properties.maxHeldPerRoom(), meters.unrecoverable());
        var broker = new RedisMessageBroker(template, store, backplane, sequencer, properties, Clock.systemUTC(), meters);
        running.add(broker);
        var container = new RedisMessageListenerContainer();
        container.setConnectionFactory(factory);
        container.setTaskExecutor(broker.deliveryExecutor());
        container.addMessageListener(broker, List.of(new PatternTopic(broker.channelPattern()),
                new ChannelTopic(RedisBackplane.probeChannel(properties))));
        container.afterPropertiesSet();
        container.start();
        running.add(container::destroy);
        broker.start(listener);
        backplane.start();
        running.add(backplane::stop);
        await().atMost(DEADLINE).until(backplane::isUp);
        return broker;
    }

    @Override
    protected void closeBrokers() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    @Test
    void shouldDeliverEachBroadcastOnceToEveryInstanceInOneOrderWhicheverInstancePublished() {
        List<Broadcast> atB = new CopyOnWriteArrayList<>();
        RedisMessageBroker b = instance("b", store, codec, atB::add);
        broker.subscribe("span");
        b.subscribe("span");
        List<Broadcast> published = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            published.add(post(i % 2 == 0 ? broker : b, "span", "m" + i));
            published.add(announce(i % 2 == 0 ? b : broker, "span", "w" + i));
        }
        flush(broker, received);
        flush(b, atB);
        for (List<Broadcast> at : List.of(received, atB)) {
            assertThat(at.stream().filter(x -> x.room().equals("span")).toList()).containsExactlyInAnyOrderElementsOf(published);
            assertThat(seqs(at, "span")).isEqualTo(range(1, 30));
        }
    }
}
