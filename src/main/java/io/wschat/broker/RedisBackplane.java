package io.wschat.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * This instance's link to Redis: its heartbeat, which instances are alive, and whether the
 * link works at all.
 *
 * <p>Each heartbeat renews the instance's liveness key (expiring after the presence TTL, so a
 * crashed instance simply stops being alive) and publishes a probe on the instance's own
 * channel: the number of receivers Redis reports proves that this instance's subscription is
 * back, not just its command connection. A failed Redis call anywhere marks the link down:
 * the instance then serves its local members only, and the broker and presence skip Redis
 * so a dead Redis costs no time per message. While the link is down the probe runs every
 * {@code reconnectInterval} instead of every heartbeat, so the first probe that succeeds
 * (marking the link up and running the reconnect actions: re-register presence, catch up on
 * missed messages) comes within that interval of Redis being reachable again.
 *
 * <p>The heartbeat thread touches Redis only, never the history store: a slow database must
 * not delay the liveness key and presence refresh past the TTL, or other instances would
 * forget this instance's members. Store reads (gap fills, catch-up, head announcements) run
 * on their own thread, {@link #storeReader()}.
 */
final class RedisBackplane implements SmartLifecycle {

    /** Starts after the listener container (which subscribes) and before the web server takes clients; stops in reverse, saying goodbye while Redis is still connected. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 3072;
    static final int LISTENER_PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Duration SUBSCRIBE_WAIT = Duration.ofSeconds(5);
    private static final Duration SUBSCRIBE_POLL = Duration.ofMillis(20);
    private static final Logger log = LoggerFactory.getLogger(RedisBackplane.class);

    private final StringRedisTemplate redis;
    private final BrokerProperties properties;
    private final ScheduledExecutorService scheduler;
    private final ScheduledExecutorService storeReader;
    private final String instanceKey;
    private final String probeChannel;
    private final AtomicReference<Link> link = new AtomicReference<>(Link.STARTING);
    private final List<Runnable> reconnectActions = new CopyOnWriteArrayList<>();
    private final List<Runnable> heartbeatActions = new CopyOnWriteArrayList<>();
    private volatile ScheduledFuture<?> heartbeat;
    /** When the next full heartbeat is due (System.nanoTime), while the link is up. */
    private long nextBeat;

    RedisBackplane(StringRedisTemplate redis, BrokerProperties properties, MeterRegistry registry) {
        this.redis = redis;
        this.properties = properties;
        // Heartbeats and presence refresh: short Redis calls, one thread is enough.
        this.scheduler = Executors.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("redis-backplane-"));
        // Reorder waits and reads from the store, which may wait on a slow database.
        this.storeReader = Executors.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("redis-catch-up-"));
        this.instanceKey = instanceKey(properties.instanceId());
        this.probeChannel = probeChannel(properties);
        Gauge.builder("chat.broker.degraded", link, l -> l.get() == Link.UP ? 0 : 1)
                .description("1 while this instance's events reach its local members only (Redis unreachable, or not yet subscribed at start)")
                .register(registry);
    }

    @Override
    public void start() {
        long tick = Math.min(properties.reconnectInterval().toMillis(), properties.heartbeatInterval().toMillis());
        // The listener container subscribes asynchronously: give it a moment, so the web server
        // (started next) takes clients on an instance that already receives the room traffic.
        long deadline = System.nanoTime() + SUBSCRIBE_WAIT.toNanos();
        beat();
        while (link.get() == Link.STARTING && System.nanoTime() < deadline) {
            LockSupport.parkNanos(SUBSCRIBE_POLL.toNanos());
            beat();
        }
        heartbeat = scheduler.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
        log.info("instance '{}' joined the Redis backplane (prefix '{}', heartbeat {}, presence TTL {}, reconnect interval {})",
                properties.instanceId(), properties.prefix(), properties.heartbeatInterval(), properties.presenceTtl(),
                properties.reconnectInterval());
    }

    String instanceId() {
        return properties.instanceId();
    }

    /** The channel this instance's heartbeat probes its own subscription on. */
    static String probeChannel(BrokerProperties properties) {
        return properties.prefix() + "probe:" + properties.instanceId();
    }

    /** The thread for reorder waits and store reads: never the heartbeat's, so a slow database delays only catch-up. */
    ScheduledExecutorService storeReader() {
        return storeReader;
    }

    boolean isUp() {
        return link.get() == Link.UP;
    }

    /** STARTING, UP or DOWN, for health details. */
    String linkState() {
        return link.get().name();
    }

    /** Runs on the heartbeat thread each time the link comes back; must not wait on the store (hand such work to {@link #storeReader()}). */
    void onReconnect(Runnable action) {
        reconnectActions.add(action);
    }

    /** Runs on the heartbeat thread after each successful heartbeat; must not wait on the store. */
    void onHeartbeat(Runnable action) {
        heartbeatActions.add(action);
    }

    /**
     * Runs a Redis command unless the link is known to be down (at start, before the
     * subscription is confirmed, commands already work); a failure marks it down and
     * yields the fallback.
     */
    <T> T call(Supplier<T> redisCall, Supplier<T> fallback) {
        if (link.get() == Link.DOWN) {
            return fallback.get();
        }
        try {
            return redisCall.get();
        } catch (RuntimeException e) {
            failed(e);
            return fallback.get();
        }
    }

    void run(Runnable redisCall) {
        call(() -> {
            redisCall.run();
            return null;
        }, () -> null);
    }

    /** Which of these instances renewed their heartbeat within the presence TTL. */
    Set<String> alive(Collection<String> instanceIds) {
        List<String> ids = new ArrayList<>(instanceIds);
        List<String> values = redis.opsForValue().multiGet(ids.stream().map(RedisBackplane.this::instanceKey).toList());
        Set<String> alive = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            if (values != null && values.get(i) != null) {
                alive.add(ids.get(i));
            }
        }
        return alive;
    }

    void markDown(Exception cause) {
        if (link.getAndSet(Link.DOWN) != Link.DOWN) {
            log.warn("Redis unreachable ({}): delivery is degraded, instance '{}' serves its local members only until Redis returns",
                    NestedExceptionUtils.getMostSpecificCause(cause).toString(), properties.instanceId());
        }
    }

    /** A full heartbeat when one is due; while the link is not up, a probe on every tick. */
    private void tick() {
        if (link.get() != Link.UP || System.nanoTime() - nextBeat >= 0) {
            beat();
        }
    }

    private void beat() {
        nextBeat = System.nanoTime() + properties.heartbeatInterval().toNanos();
        try {
            redis.opsForValue().set(instanceKey, "alive", properties.presenceTtl());
            Long receivers = redis.convertAndSend(probeChannel, "probe");
            if (receivers == null || receivers < 1) {
                if (link.get() == Link.STARTING) {
                    log.debug("instance '{}' waits for its Redis subscription", properties.instanceId());
                } else {
                    markDown(new IllegalStateException("this instance's subscription is not active"));
                }
                return;
            }
        } catch (RuntimeException e) {
            failed(e);
            return;
        }
        Link before = link.getAndSet(Link.UP);
        if (before != Link.UP) {
            if (before == Link.DOWN) {
                log.info("Redis reachable again: instance '{}' resumed cross-instance delivery", properties.instanceId());
            } else {
                log.info("instance '{}' is subscribed: cross-instance delivery on", properties.instanceId());
            }
            runAll(reconnectActions);
        }
        runAll(heartbeatActions);
    }

    /** An interrupted call (a thread stopped at shutdown) says nothing about Redis. */
    private void failed(RuntimeException e) {
        if (!Thread.currentThread().isInterrupted()) {
            markDown(e);
        }
    }

    private void runAll(List<Runnable> actions) {
        for (Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                failed(e);
            }
        }
    }

    /** Until the first good heartbeat the instance is STARTING; either way, only UP sends events through Redis. */
    private enum Link { STARTING, UP, DOWN }

    private String instanceKey(String instanceId) {
        return properties.prefix() + "instance:" + instanceId;
    }

    @Override
    public boolean isRunning() {
        return heartbeat != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** Says goodbye: stops the heartbeat and removes the liveness key, so others drop this instance's members at once. */
    @Override
    public void stop() {
        ScheduledFuture<?> running = heartbeat;
        heartbeat = null;
        if (running != null) {
            running.cancel(false);
        }
        // Let a heartbeat in progress finish, or it could renew the key right after the goodbye.
        storeReader.shutdownNow();
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(properties.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        run(() -> redis.delete(instanceKey));
        log.info("instance '{}' left the Redis backplane", properties.instanceId());
    }
}
