package io.wschat.websocket;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.wschat.chat.Disconnect;
import io.wschat.security.HandshakeRefusal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Says goodbye before the web server stops: new handshakes get 503, every client is sent
 * what is already queued for it and then close 1001 (Going Away), so it knows to reconnect
 * elsewhere or later. Connections that have not drained within the drain timeout are closed
 * with 1001 at once. Runs before the web server's own graceful shutdown phase.
 */
final class GracefulShutdown implements SmartLifecycle, HandshakeInterceptor {

    private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);

    private final OpenConnections connections;
    private final Duration drainTimeout;
    private final Duration closeTimeout;
    private final HandshakeRefusal refusal;
    private volatile boolean running;

    GracefulShutdown(OpenConnections connections, Duration drainTimeout, Duration closeTimeout, HandshakeRefusal refusal) {
        this.connections = connections;
        this.drainTimeout = drainTimeout;
        this.closeTimeout = closeTimeout;
        this.refusal = refusal;
    }

    @Override
    public int getPhase() {
        return WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE + 1;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public void stop() {
        running = false;
        List<WebSocketClientConnection> open = connections.snapshot();
        log.info("shutting down: draining and closing {} WebSocket connections with 1001", open.size());
        open.forEach(c -> c.closeWhenDrained(Disconnect.GOING_AWAY));
        if (!awaitClosed(open, drainTimeout)) {
            List<WebSocketClientConnection> stuck = open.stream().filter(c -> !c.closed().isDone()).toList();
            log.warn("{} WebSocket connections did not drain within {}; closing them now", stuck.size(), drainTimeout);
            stuck.forEach(c -> c.close(Disconnect.GOING_AWAY));
            awaitClosed(stuck, closeTimeout);
        }
        log.info("WebSocket connections closed");
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                                   WebSocketHandler handler, Map<String, Object> attributes) {
        if (running) {
            return true;
        }
        return refusal.refuse(request, response, HttpStatus.SERVICE_UNAVAILABLE, "shutting_down",
                "the server is shutting down; reconnect in a moment");
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response,
                               WebSocketHandler handler, Exception exception) {
    }

    private static boolean awaitClosed(List<WebSocketClientConnection> connections, Duration timeout) {
        try {
            CompletableFuture.allOf(connections.stream().map(WebSocketClientConnection::closed).toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
