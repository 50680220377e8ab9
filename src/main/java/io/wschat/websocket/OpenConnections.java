package io.wschat.websocket;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import io.wschat.chat.Rejections;

import org.springframework.web.socket.WebSocketSession;

/**
 * Every open WebSocket connection of this instance, whatever its endpoint, so the heartbeat
 * can ping them and shutdown can say goodbye to them. Creates each session's
 * {@link WebSocketClientConnection} and forgets it when the session closes.
 */
final class OpenConnections {

    private static final String CONNECTION = WebSocketClientConnection.class.getName();

    private final Set<WebSocketClientConnection> open = ConcurrentHashMap.newKeySet();
    private final long bufferLimit;
    private final int maxTextMessage;
    private final long closeTimeoutMillis;
    private final Executor closer;
    private final Rejections rejections;

    OpenConnections(long bufferLimit, int maxTextMessage, long closeTimeoutMillis, Executor closer, Rejections rejections) {
        this.bufferLimit = bufferLimit;
        this.maxTextMessage = maxTextMessage;
        this.closeTimeoutMillis = closeTimeoutMillis;
        this.closer = closer;
        this.rejections = rejections;
    }

    WebSocketClientConnection opened(WebSocketSession session) {
        var connection = new WebSocketClientConnection(session, bufferLimit, maxTextMessage, closeTimeoutMillis, closer, rejections);
        session.getAttributes().put(CONNECTION, connection);
        open.add(connection);
        return connection;
    }

    /** The session's connection, or null once it has closed. */
    static WebSocketClientConnection of(WebSocketSession session) {
        return (WebSocketClientConnection) session.getAttributes().get(CONNECTION);
    }

    void closed(WebSocketSession session) {
        var connection = (WebSocketClientConnection) session.getAttributes().remove(CONNECTION);
        if (connection != null) {
            open.remove(connection);
            connection.onClosed();
        }
    }

    List<WebSocketClientConnection> snapshot() {
        return List.copyOf(open);
    }
}
