package io.wschat.websocket;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * A handler whose sessions are {@link OpenConnections}: opened on connect, forgotten on close,
 * and kept alive by pongs, so the heartbeat treats every endpoint alike.
 *
 * <p>Text arrives in parts as large as the container's small read buffer; the connection puts
 * the parts of a larger message together (up to {@code chat.max-frame-size}) and
 * {@link #handleText} sees only whole messages.
 */
abstract class TrackedConnectionHandler extends TextWebSocketHandler {

    protected final OpenConnections connections;

    TrackedConnectionHandler(OpenConnections connections) {
        this.connections = connections;
    }

    @Override
    public boolean supportsPartialMessages() {
        return true;
    }

    @Override
    protected final void handleTextMessage(WebSocketSession session, TextMessage message) {
        var connection = OpenConnections.of(session);
        if (connection == null) {
            return;
        }
        connection.heard();
        String text = connection.assembleText(message.getPayload(), message.isLast());
        if (text != null) {
            handleText(session, connection, text);
        }
    }

    /** A whole text message from an open connection. */
    protected abstract void handleText(WebSocketSession session, WebSocketClientConnection connection, String text);

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
