package io.wschat.websocket;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The classic first WebSocket server: every text message {@code M} is answered with
 * {@code got your message: M}. Replies go through the connection's outbound queue, which
 * the heartbeat's pings share, so the session is never written from two threads at once.
 */
final class EchoWebSocketHandler extends TextWebSocketHandler {

    static final String PREFIX = "got your message: ";

    private final OpenConnections connections;

    EchoWebSocketHandler(OpenConnections connections) {
        this.connections = connections;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        connections.opened(session);
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        var connection = OpenConnections.of(session);
        if (connection != null) {
            connection.heard();
            connection.send(PREFIX + message.getPayload());
        }
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
