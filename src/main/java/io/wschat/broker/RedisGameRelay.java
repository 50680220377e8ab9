package io.wschat.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import io.wschat.game.GameInfo;
import io.wschat.game.GameRelay;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Games across instances on the Redis backplane (docs/SCALING.md, "Games across instances").
 *
 * <ul>
 *   <li>Lease: {@code <prefix>game:<name>:owner} holds the owner's instance id, set with
 *       {@code SET NX PX <owner-lease>} and renewed (only by its holder, in a script) three
 *       times per lease; a crashed owner's lease simply expires.</li>
 *   <li>Lobby: {@code <prefix>game-info:<name>} (the owner's {@link GameInfo} as JSON, expiring
 *       with the lease) and the set {@code <prefix>games} that indexes them.</li>
 *   <li>Channels: owner to mirrors {@code <prefix>game:<name>}, mirrors to owner
 *       {@code <prefix>game-in:<name>}; every instance subscribes to both patterns once and
 *       drops messages of games it neither runs nor mirrors (in {@code GameService}).</li>
 * </ul>
 *
 * <p>Publishing happens on one thread in order from a bounded queue ({@code chat.broker.publish-queue};
 * received messages wait in one of {@code chat.broker.delivery-queue}), so a tick or a socket
 * thread never waits for Redis; received messages are handed over on one thread in the order
 * Redis sent them. While the backplane's link is down nothing is published (a mirror then
 * hears nothing and ends its game after the lease, as for a dead owner).
 */
final class RedisGameRelay implements GameRelay, MessageListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisGameRelay.class);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);
    /** Renews the lease if this instance holds it, takes it again if it lapsed and nobody else took it. */
    private static final RedisScript<Long> RENEW = RedisScript.of("""
            local owner = redis.call('GET', KEYS[1])
            if owner == ARGV[1] then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return 1
            end
            if not owner then
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
              return 1
            end
            return 0
            """, Long.class);
    private static final RedisScript<Long> RELEASE = RedisScript.of("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('DEL', KEYS[1], KEYS[2])
              redis.call('SREM', KEYS[3], ARGV[2])
              return 1
            end
            return 0
            """, Long.class);

    private final StringRedisTemplate redis;
    private final RedisBackplane backplane;
    private final ObjectMapper json;
    private final String prefix;
    private final String toMirrorsPrefix;
    private final String toOwnerPrefix;
    private final String lobbyKey;
    private final ThreadPoolExecutor publisher;
    private final ThreadPoolExecutor delivery;
    private final Counter dropped;
    private volatile Listener listener;

    RedisGameRelay(StringRedisTemplate redis, RedisBackplane backplane, BrokerProperties properties, ObjectMapper json,
                   MeterRegistry registry) {
        this.redis = redis;
        this.backplane = backplane;
        this.json = json;
        this.prefix = properties.prefix();
        this.toMirrorsPrefix = prefix + "game:";
        this.toOwnerPrefix = prefix + "game-in:";
        this.lobbyKey = prefix + "games";
        this.dropped = Counter.builder("game.relay.dropped")
                .description("Relayed game messages dropped because a publish or delivery queue was full")
                .register(registry);
        this.publisher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(properties.publishQueue()),
                new CustomizableThreadFactory("game-relay-publish-"), new ThreadPoolExecutor.AbortPolicy());
        this.delivery = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(properties.deliveryQueue()),
                new CustomizableThreadFactory("game-relay-deliver-"), (task, executor) -> dropped.increment());
    }

    /** The listener container's executor: one thread, so messages are handed over in the order Redis sent them. */
    Executor deliveryExecutor() {
        return delivery;
    }

    List<String> channelPatterns() {
        return List.of(toMirrorsPrefix + "*", toOwnerPrefix + "*");
    }

    @Override
    public String instanceId() {
        return backplane.instanceId();
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public String claim(String game, Duration lease) {
        String key = ownerKey(game);
        return backplane.call(() -> {
            for (int attempt = 0; attempt < 2; attempt++) {
                if (Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(key, instanceId(), lease))) {
                    return instanceId();
                }
                String owner = redis.opsForValue().get(key);
                if (owner != null) {
                    return owner;
                }
                // It expired between the two calls: try once more.
            }
            return null;
        }, () -> null);
    }

    @Override
    public boolean renew(String game, GameInfo info, Duration lease) {
        return backplane.call(() -> {
            Long held = redis.execute(RENEW, List.of(ownerKey(game)), instanceId(), Long.toString(lease.toMillis()));
            if (held == null || held == 0) {
                return false;
            }
            redis.opsForValue().set(infoKey(game), json.writeValueAsString(info), lease);
            redis.opsForSet().add(lobbyKey, game);
            return true;
        }, () -> true);
    }

    @Override
    public void release(String game) {
        backplane.run(() -> redis.execute(RELEASE, List.of(ownerKey(game), infoKey(game), lobbyKey), instanceId(), game));
    }

    @Override
    public void toMirrors(String game, byte[] message) {
        publish(toMirrorsPrefix + game, message);
    }

    @Override
    public void toOwner(String game, byte[] message) {
        publish(toOwnerPrefix + game, message);
    }

    private void publish(String channel, byte[] message) {
        if (!backplane.isUp()) {
            return;
        }
        byte[] name = channel.getBytes(StandardCharsets.UTF_8);
        try {
            publisher.execute(() -> backplane.run(() -> redis.execute((RedisCallback<Long>) c -> c.publish(name, message))));
        } catch (RejectedExecutionException e) {
            dropped.increment();
            log.debug("game relay queue full: dropped a message for '{}'", channel);
        }
    }

    @Override
    public List<GameInfo> lobby() {
        return backplane.call(() -> {
            List<String> names = new ArrayList<>(redis.opsForSet().members(lobbyKey));
            if (names.isEmpty()) {
                return List.<GameInfo>of();
            }
            List<String> values = redis.opsForValue().multiGet(names.stream().map(this::infoKey).toList());
            List<GameInfo> games = new ArrayList<>();
            List<String> gone = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                String value = values == null ? null : values.get(i);
                if (value == null) {
                    gone.add(names.get(i));
                    continue;
                }
                try {
                    games.add(json.readValue(value, GameInfo.class));
                } catch (JacksonException e) {
                    log.debug("skipped an unreadable lobby entry of game '{}'", names.get(i));
                }
            }
            if (!gone.isEmpty()) {
                // Their owners stopped renewing: the entries expired, the index still names them.
                redis.opsForSet().remove(lobbyKey, gone.toArray());
            }
            return games;
        }, List::of);
    }

    @Override
    public Set<String> alive(Collection<String> instanceIds) {
        return backplane.call(() -> backplane.alive(instanceIds), () -> Set.copyOf(instanceIds));
    }

    @Override
    public void listen(Listener listener) {
        this.listener = listener;
    }

    @Override
    public void onMessage(Message message, byte[] pattern) {
        Listener to = listener;
        if (to == null) {
            return;
        }
        String channel = new String(message.getChannel(), StandardCharsets.UTF_8);
        if (channel.startsWith(toOwnerPrefix)) {
            to.fromMirror(channel.substring(toOwnerPrefix.length()), message.getBody());
        } else if (channel.startsWith(toMirrorsPrefix)) {
            to.fromOwner(channel.substring(toMirrorsPrefix.length()), message.getBody());
        }
    }

    /** Publishes what is queued (the games' last words) before the connection goes away. */
    @Override
    public void close() {
        publisher.shutdown();
        delivery.shutdown();
        try {
            if (!publisher.awaitTermination(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                publisher.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String ownerKey(String game) {
        return toMirrorsPrefix + game + ":owner";
    }

    private String infoKey(String game) {
        return prefix + "game-info:" + game;
    }
}
