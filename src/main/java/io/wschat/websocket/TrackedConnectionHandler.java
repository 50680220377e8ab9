package io.wschat.websocket;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * A handler whose sessions are {@link OpenConnections}: opened on connect, forgotten on close,
 * and kept alive by pongs, so the heartbeat treats every endpoint alike.
 */
abstract class TrackedConnectionHandler extends TextWebSocketHandler {

    protected final OpenConnections connections;

    TrackedConnectionHandler(OpenConnections connections) {
        this.connections = connections;
    }

    @Override
    protected void handlePongMessage(WebSocketSession session, PongMessage message) {
        var connection = OpenConnections.of(session);
        if (connection != null) {
            connection.heard();
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        connections.closed(session);
    }
}
