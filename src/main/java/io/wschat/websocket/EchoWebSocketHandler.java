package io.wschat.websocket;

import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * The classic first WebSocket server: every text message {@code M} is answered with
 * {@code got your message: M}. Replies go through the connection's outbound queue, which
 * the heartbeat's pings share, so the session is never written from two threads at once.
 */
final class EchoWebSocketHandler extends TrackedConnectionHandler {

    static final String PREFIX = "got your message: ";

    EchoWebSocketHandler(OpenConnections connections) {
        super(connections);
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
}
