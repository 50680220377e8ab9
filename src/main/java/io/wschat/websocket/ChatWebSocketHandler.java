package io.wschat.websocket;

import java.time.Instant;

import io.wschat.chat.ChatService;
import io.wschat.chat.ChatSession;
import io.wschat.chat.Disconnect;
import io.wschat.security.TokenCheck;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * {@code /chat}: adapts WebSocket sessions to the chat core. Binary frames are refused with
 * 1003; text messages above {@code chat.max-frame-size} are refused with 1009, and text frames
 * that are not valid UTF-8 by the container with 1007. A connection opened with a token is
 * closed with 4003 when the token expires.
 */
final class ChatWebSocketHandler extends TrackedConnectionHandler {

    private static final Logger log = LoggerFactory.getLogger(ChatWebSocketHandler.class);
    private static final String CHAT_SESSION = ChatSession.class.getName();

    private final ChatService chat;
    private final TokenExpiry tokenExpiry;

    ChatWebSocketHandler(ChatService chat, OpenConnections connections, TokenExpiry tokenExpiry) {
        super(connections);
        this.chat = chat;
        this.tokenExpiry = tokenExpiry;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        var connection = connections.opened(session);
        var attributes = session.getAttributes();
        if (attributes.get(TokenCheck.VALID_UNTIL) instanceof Instant validUntil) {
            tokenExpiry.closeAt(connection, validUntil);
        }
        ChatSession chatSession = chat.open(connection,
                (String) attributes.get(ChatHandshakeInterceptor.ROOM),
                (String) attributes.get(ChatHandshakeInterceptor.NAME),
                attributes.containsKey(TokenCheck.AUTHENTICATED_NAME),
                (Long) attributes.get(ChatHandshakeInterceptor.SINCE),
                HandshakeRecorder.of(attributes));
        if (chatSession != null) {
            attributes.put(CHAT_SESSION, chatSession);
        }
    }

    @Override
    protected void handleText(WebSocketSession session, WebSocketClientConnection connection, String text) {
        ChatSession chatSession = (ChatSession) session.getAttributes().get(CHAT_SESSION);
        if (chatSession != null) {
            chat.onFrame(chatSession, text);
        }
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
        var connection = OpenConnections.of(session);
        if (connection != null) {
            connection.refuse(Disconnect.UNSUPPORTED_DATA, "binary_frame");
        }
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        log.debug("session {}: transport error: {}", session.getId(), exception.toString());
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        super.afterConnectionClosed(session, status);
        ChatSession chatSession = (ChatSession) session.getAttributes().remove(CHAT_SESSION);
        if (chatSession != null) {
            log.debug("session {} closed with {}", session.getId(), status);
            chat.close(chatSession);
        }
    }
}
