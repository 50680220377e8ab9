package io.wschat.websocket;

import java.io.IOException;

import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The classic first WebSocket server: every text message {@code M} is answered with
 * {@code got your message: M}. Replies are sent from the session's own receive thread,
 * the only thread that ever writes to it, so no send queue is needed.
 */
final class EchoWebSocketHandler extends TextWebSocketHandler {

    static final String PREFIX = "got your message: ";

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) throws IOException {
        session.sendMessage(new TextMessage(PREFIX + message.getPayload()));
    }
}
