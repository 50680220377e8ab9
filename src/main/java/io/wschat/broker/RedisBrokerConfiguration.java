package io.wschat.broker;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.ObjectMapper;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.MeterRegistry;

import io.wschat.chat.MessageStore;
import io.wschat.chat.Presence;
import io.wschat.chat.ProtocolCodec;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * The Redis backplane ({@code chat.broker.type=redis}): broker, presence, the games' relay and
 * the Redis health indicator. Connection settings are Spring Boot's {@code spring.data.redis.*}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "chat.broker.type", havingValue = "redis")
class RedisBrokerConfiguration {

    RedisBrokerConfiguration(Environment environment) {
        if ("memory".equals(environment.getProperty("chat.history.store"))) {
            throw new IllegalStateException("chat.broker.type=redis needs a history store that all instances share: "
                    + "set chat.history.store=jdbc with one database for every instance (with the memory store each "
                    + "instance would number a room's messages on its own)");
        }
    }

    @Bean
    BrokerMeters brokerMeters(MeterRegistry registry) {
        return BrokerMeters.register(registry);
    }

    @Bean
    RedisBackplane redisBackplane(StringRedisTemplate redis, BrokerProperties properties, MeterRegistry registry) {
        return new RedisBackplane(redis, properties, registry);
    }

    @Bean
    RoomSequencer roomSequencer(MessageStore store, ProtocolCodec codec, RedisBackplane backplane,
                                BrokerProperties properties, BrokerMeters meters) {
        return new RoomSequencer(store, codec, backplane.storeReader(), properties.reorderWait(),
                properties.maxHeldPerRoom(), meters.unrecoverable());
    }

    @Bean
    RedisMessageBroker redisMessageBroker(StringRedisTemplate redis, MessageStore store, RedisBackplane backplane,
                                          RoomSequencer sequencer, BrokerProperties properties, Clock clock,
                                          BrokerMeters meters) {
        return new RedisMessageBroker(redis, store, backplane, sequencer, properties, clock, meters);
    }

    @Bean
    PositionCheck positionCheck(MessageStore store, RoomSequencer sequencer, RedisBackplane backplane, BrokerProperties properties) {
        return new PositionCheck(store, sequencer, backplane.storeReader(), properties.positionCheckInterval());
    }

    @Bean
    Presence redisPresence(StringRedisTemplate redis, RedisBackplane backplane, ObjectMapper mapper,
                           BrokerProperties properties, Clock clock) {
        return new RedisPresence(redis, backplane, mapper, properties, clock);
    }

    /** Takes no {@link RedisBackplane}: a lifecycle bean's dependencies start first, and the backplane must start after this. */
    @Bean
    RedisMessageListenerContainer chatListenerContainer(RedisConnectionFactory connectionFactory,
                                                        RedisMessageBroker broker, BrokerProperties properties) {
        var container = new RedisMessageListenerContainer();
        container.setConnectionFactory(connectionFactory);
        container.setTaskExecutor(broker.deliveryExecutor());
        container.setRecoveryInterval(properties.reconnectInterval().toMillis());
        container.setPhase(RedisBackplane.LISTENER_PHASE);
        container.addMessageListener(broker, List.of(new PatternTopic(broker.channelPattern()),
                new ChannelTopic(RedisBackplane.probeChannel(properties))));
        return container;
    }

    @Bean
    RedisGameRelay redisGameRelay(StringRedisTemplate redis, RedisBackplane backplane, BrokerProperties properties,
                                  ObjectMapper mapper, MeterRegistry registry) {
        return new RedisGameRelay(redis, backplane, properties, mapper, registry);
    }

    /** The games' own subscription and delivery thread, so a busy game's states never queue behind chat events (or the reverse). */
    @Bean
    RedisMessageListenerContainer gameListenerContainer(RedisConnectionFactory connectionFactory, RedisGameRelay relay,
                                                        BrokerProperties properties) {
        var container = new RedisMessageListenerContainer();
        container.setConnectionFactory(connectionFactory);
        container.setTaskExecutor(relay.deliveryExecutor());
        container.setRecoveryInterval(properties.reconnectInterval().toMillis());
        container.setPhase(RedisBackplane.LISTENER_PHASE);
        container.addMessageListener(relay, relay.channelPatterns().stream().map(PatternTopic::new).toList());
        return container;
    }

    /**
     * Fail fast while disconnected instead of queueing commands until the timeout: with Redis
     * gone, a call costs nothing and the instance serves its local members at full speed.
     */
    @Bean
    LettuceClientOptionsBuilderCustomizer failFastWhileDisconnected() {
        return options -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled());
    }

    /**
     * Reconnect at least once per {@code reconnect-interval}, so a returning Redis is noticed
     * within it (Lettuce's default backs off to 30 s; capped at the heartbeat, a 5 s outage
     * cost about 6 s more of degraded delivery). Both the command and the subscription
     * connection follow this; Lettuce restores the subscription itself on reconnect.
     */
    @Bean
    ClientResourcesBuilderCustomizer reconnectWithinTheReconnectInterval(BrokerProperties properties) {
        Duration upper = properties.reconnectInterval().compareTo(properties.heartbeatInterval()) < 0
                ? properties.reconnectInterval() : properties.heartbeatInterval();
        return resources -> resources.reconnectDelay(Delay.exponential(Duration.ofMillis(50), upper, 2, TimeUnit.MILLISECONDS));
    }

    /**
     * Health named {@code redis}, registered only here ({@code management.health.redis.enabled=false}
     * keeps Boot's PING indicator away): UP only while this instance's backplane link is, that is
     * while its events reach other instances. A PING alone says UP as soon as the command
     * connection is back, before the subscription is.
     */
    @Bean
    HealthIndicator redisHealthIndicator(RedisBackplane backplane) {
        return () -> (backplane.isUp() ? Health.up() : Health.down())
                .withDetail("instance", backplane.instanceId())
                .withDetail("link", backplane.linkState())
                .build();
    }
}
