package io.wschat.websocket;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Closes, as slow consumers (4000), the connections whose frame in flight has not reached the
 * peer within {@code chat.outbound.send-time-limit}. One sweep over the open connections every
 * {@link #sweepInterval}, instead of the container's own limit: Tomcat registers every
 * asynchronous send in one server-wide skip list and removes it again when the write completes,
 * which in a 1,000-member room cost about a tenth of the delivery thread (see docs/PERFORMANCE.md).
 * A frame is closed on at most a quarter of the limit, and never more than a second, after its
 * time ran out.
 */
final class SendTimeLimit implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SendTimeLimit.class);
    private static final Duration LONGEST_SWEEP_INTERVAL = Duration.ofSeconds(1);

    private final OpenConnections connections;
    private final Duration limit;
    private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
    private volatile ScheduledFuture<?> sweeps;

    SendTimeLimit(OpenConnections connections, Duration limit) {
        this.connections = connections;
        this.limit = limit;
        scheduler.setThreadNamePrefix("ws-send-limit-");
        scheduler.setPoolSize(1);
    }

    /** A quarter of the limit, at most a second. */
    static Duration sweepInterval(Duration limit) {
        Duration quarter = limit.dividedBy(4);
        return quarter.compareTo(LONGEST_SWEEP_INTERVAL) < 0 ? quarter : LONGEST_SWEEP_INTERVAL;
    }

    @Override
    public void start() {
        scheduler.initialize();
        Duration interval = sweepInterval(limit);
        sweeps = scheduler.scheduleAtFixedRate(this::sweep, interval);
        log.info("closing WebSocket clients whose frame takes longer than {} to send (checked every {})", limit, interval);
    }

    @Override
    public void stop() {
        sweeps.cancel(false);
        scheduler.shutdown();
    }

    @Override
    public boolean isRunning() {
        return sweeps != null && !sweeps.isCancelled();
    }

    void sweep() {
        long limitNanos = limit.toNanos();
        for (WebSocketClientConnection connection : connections.snapshot()) {
            connection.closeIfSendingLongerThan(limitNanos);
        }
    }
}
