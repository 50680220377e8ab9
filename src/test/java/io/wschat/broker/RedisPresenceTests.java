package io.wschat.broker;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.databind.json.JsonMapper;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.wschat.chat.Presence;
import io.wschat.support.EmbeddedRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Presence in a real Redis. The observer is a second instance on the same Redis (its own
 * instance id, its own local copy): what it lists was read from Redis, so the suite checks
 * what other instances see. Each test has its own key prefix.
 */
class RedisPresenceTests extends PresenceContract {

    private static final AtomicInteger DEPLOYMENTS = new AtomicInteger();
    private static final Duration TTL = Duration.ofSeconds(30);

    private static EmbeddedRedis redis;
    private static LettuceConnectionFactory connections;
    private static StringRedisTemplate template;
    private String prefix;

    @BeforeAll
    static void startRedis() {
        redis = EmbeddedRedis.start();
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
        connections.afterPropertiesSet();
        connections.start();
        template = new StringRedisTemplate(connections);
    }

    @AfterAll
    static void stopRedis() {
        connections.destroy();
        redis.close();
    }

    @Override
    protected Presence newPresence() {
        prefix = "contract-" + DEPLOYMENTS.incrementAndGet() + ":";
        Presence presence = instance("subject");
        // The subject's heartbeat key, as its backplane would renew it: its entries count for the others while it lives.
        template.opsForValue().set(prefix + "instance:subject", "alive", TTL);
        return presence;
    }

    @Override
    protected Presence observerOf(Presence subject) {
        return instance("observer");
    }

    private Presence instance(String id) {
        var properties = new BrokerProperties("redis", prefix, id, TTL, Duration.ofSeconds(5), Duration.ofMillis(250),
                Duration.ofSeconds(2), Duration.ofMillis(200), 1000, 10_000, 10_000);
        var backplane = new RedisBackplane(template, properties, new SimpleMeterRegistry());
        return new RedisPresence(template, backplane, JsonMapper.builder().build(), properties, Clock.systemUTC());
    }
}
