package io.wschat.websocket;

import java.util.concurrent.Executor;

import io.wschat.chat.ChatService;
import io.wschat.chat.ChatSession;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/** {@code /chat}: adapts WebSocket sessions to the chat core. Binary frames are refused with 1003 by the base class. */
final class ChatWebSocketHandler extends TextWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(ChatWebSocketHandler.class);
    private static final String CHAT_SESSION = ChatSession.class.getName();

    private final ChatService chat;
    private final long bufferLimit;
    private final long closeTimeoutMillis;
    private final Executor closer;

    ChatWebSocketHandler(ChatService chat, long bufferLimit, long closeTimeoutMillis, Executor closer) {
        this.chat = chat;
        this.bufferLimit = bufferLimit;
        this.closeTimeoutMillis = closeTimeoutMillis;
        this.closer = closer;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        var connection = new WebSocketClientConnection(session, bufferLimit, closeTimeoutMillis, closer);
        var attributes = session.getAttributes();
        ChatSession chatSession = chat.open(connection,
                (String) attributes.get(ChatHandshakeInterceptor.ROOM),
                (String) attributes.get(ChatHandshakeInterceptor.NAME),
                (Long) attributes.get(ChatHandshakeInterceptor.SINCE),
                HandshakeRecorder.of(attributes));
        attributes.put(CHAT_SESSION, chatSession);
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        ChatSession chatSession = (ChatSession) session.getAttributes().get(CHAT_SESSION);
        if (chatSession != null) {
            chat.onFrame(chatSession, message.getPayload());
        }
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        log.debug("session {}: transport error: {}", session.getId(), exception.toString());
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        ChatSession chatSession = (ChatSession) session.getAttributes().remove(CHAT_SESSION);
        if (chatSession != null) {
            log.debug("session {} closed with {}", session.getId(), status);
            chat.close(chatSession);
        }
    }
}
