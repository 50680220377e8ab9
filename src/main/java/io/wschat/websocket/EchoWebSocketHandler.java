package io.wschat.websocket;

import java.time.Clock;

import io.wschat.chat.Disconnect;
import io.wschat.chat.Rejections;
import io.wschat.chat.TokenBucket;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * The classic first WebSocket server: every text message {@code M} is answered with
 * {@code got your message: M}. Replies go through the connection's outbound queue, which
 * the heartbeat's pings share, so the session is never written from two threads at once.
 *
 * <p>Any page may use echo, so it has a rate limit of its own: a connection that sends faster
 * is closed with 1008 (echo has no error events to warn it first).
 *
 * <p>Nothing here waits, so echo connections are read on Tomcat's poller ({@link PollerReads}).
 */
final class EchoWebSocketHandler extends TrackedConnectionHandler {

    static final String PREFIX = "got your message: ";
    static final Disconnect RATE_EXCEEDED = new Disconnect(1008, "rate limit exceeded");
    private static final String RATE = EchoWebSocketHandler.class.getName() + ".rate";

    private final PollerReads pollerReads;
    private final Rejections rejections;
    private final Clock clock;
    private final int messagesPerSecond;
    private final int burst;

    /** {@code messagesPerSecond} 0 turns the rate limit off. */
    EchoWebSocketHandler(OpenConnections connections, PollerReads pollerReads, Rejections rejections, Clock clock,
                         int messagesPerSecond, int burst) {
        super(connections);
        this.pollerReads = pollerReads;
        this.rejections = rejections;
        this.clock = clock;
        this.messagesPerSecond = messagesPerSecond;
        this.burst = burst;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        var connection = connections.opened(session);
        if (messagesPerSecond > 0) {
            session.getAttributes().put(RATE, new TokenBucket(clock, messagesPerSecond, burst));
        }
        pollerReads.add(connection);
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        var connection = OpenConnections.of(session);
        if (connection != null) {
            pollerReads.remove(connection);
        }
        super.afterConnectionClosed(session, status);
    }

    @Override
    protected void handleText(WebSocketSession session, WebSocketClientConnection connection, String text) {
        if (session.getAttributes().get(RATE) instanceof TokenBucket rate && !rate.tryTake()) {
            // The replies already owed go out first; only then the close.
            if (connection.closeOnceDrained(RATE_EXCEEDED)) {
                rejections.reject(connection.id(), connection.remoteAddress(), "rate_limited");
            }
            return;
        }
        connection.send(PREFIX + text);
    }
}
