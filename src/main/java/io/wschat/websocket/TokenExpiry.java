package io.wschat.websocket;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.wschat.chat.Disconnect;
import io.wschat.chat.Rejections;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Closes a connection with 4003 when the token it was opened with stops being valid, so no
 * socket outlives its token. One timer per authenticated connection on one shared thread,
 * cancelled (and removed) when the connection closes first: as many timers as open
 * connections, never a thread per connection. Measured on the system clock, as the token's
 * validity is when it is checked.
 */
final class TokenExpiry {

    private final Rejections rejections;
    private final ScheduledThreadPoolExecutor timers;

    TokenExpiry(Rejections rejections) {
        this.rejections = rejections;
        this.timers = new ScheduledThreadPoolExecutor(1, new CustomizableThreadFactory("ws-token-expiry-"));
        timers.setRemoveOnCancelPolicy(true);
        timers.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Closes {@code connection} at {@code validUntil} (at once if that has passed), unless it closes before. */
    void closeAt(WebSocketClientConnection connection, Instant validUntil) {
        long delay = Math.max(0, Duration.between(Instant.now(), validUntil).toMillis());
        ScheduledFuture<?> timer = timers.schedule(() -> expire(connection), delay, TimeUnit.MILLISECONDS);
        connection.closed().whenComplete((closed, failure) -> timer.cancel(false));
    }

    /** Timers not yet fired: one per open authenticated connection. */
    int pending() {
        return timers.getQueue().size();
    }

    void shutdown() {
        timers.shutdownNow();
    }

    private void expire(WebSocketClientConnection connection) {
        rejections.reject(connection.id(), connection.remoteAddress(), "token_expired");
        connection.close(Disconnect.TOKEN_EXPIRED);
    }
}
