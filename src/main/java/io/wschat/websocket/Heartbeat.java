package io.wschat.websocket;

import java.util.concurrent.ScheduledFuture;

import io.wschat.chat.Rejections;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Finds dead peers: on every tick each connection that has been silent past the idle timeout
 * is closed with 4001, and every other one is asked for a ping, which a live peer answers
 * with a pong. A half-open TCP connection answers nothing, so it is closed within
 * {@code idle-timeout + interval}. A tick only flags pings; each is written by its
 * connection's own writer, never concurrently with a text frame.
 */
final class Heartbeat implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

    private final OpenConnections connections;
    private final HeartbeatProperties properties;
    private final Rejections rejections;
    private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
    private volatile ScheduledFuture<?> ticks;

    Heartbeat(OpenConnections connections, HeartbeatProperties properties, Rejections rejections) {
        this.connections = connections;
        this.properties = properties;
        this.rejections = rejections;
        scheduler.setThreadNamePrefix("ws-heartbeat-");
        scheduler.setPoolSize(1);
    }

    @Override
    public void start() {
        scheduler.initialize();
        ticks = scheduler.scheduleAtFixedRate(this::tick, properties.interval());
        log.info("pinging WebSocket clients every {}, closing those silent for {}", properties.interval(), properties.idleTimeout());
    }

    @Override
    public void stop() {
        ticks.cancel(false);
        scheduler.shutdown();
    }

    @Override
    public boolean isRunning() {
        return ticks != null && !ticks.isCancelled();
    }

    void tick() {
        long timeoutNanos = properties.idleTimeout().toNanos();
        for (WebSocketClientConnection connection : connections.snapshot()) {
            if (connection.closeIfSilentFor(timeoutNanos)) {
                rejections.reject(connection.id(), connection.remoteAddress(), "idle_timeout");
            } else {
                connection.ping();
            }
        }
    }
}
