package io.wschat.websocket;

import java.time.Instant;

import io.wschat.chat.ChatService;
import io.wschat.chat.ChatSession;
import io.wschat.chat.Disconnect;
import io.wschat.chat.Rejections;
import io.wschat.game.GamePlayer;
import io.wschat.game.GameService;
import io.wschat.security.TokenCheck;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * {@code /game/ws}: one connection is a player of one game and a member of that game's chat
 * room. Text frames of type {@code input} go to the game, every other text frame to the chat,
 * so chat commands work here as on {@code /chat}. Binary frames are inputs when the connection
 * negotiated the binary subprotocol, and refused with 1003 otherwise.
 */
final class GameWebSocketHandler extends TrackedConnectionHandler {

    /** Offered by clients that want state as binary frames (docs/PROTOCOL.md, "Game state, binary"). */
    static final String BINARY_PROTOCOL = "wschat-game-binary";
    /** Offered by clients that want JSON state; the same as offering nothing. */
    static final String JSON_PROTOCOL = "wschat-game-json";

    private static final Logger log = LoggerFactory.getLogger(GameWebSocketHandler.class);
    private static final String PLAYER = GamePlayer.class.getName();
    private static final String CHAT_SESSION = ChatSession.class.getName() + ".game";

    private final ChatService chat;
    private final GameService games;
    private final Rejections rejections;
    private final TokenExpiry tokenExpiry;

    GameWebSocketHandler(ChatService chat, GameService games, OpenConnections connections, Rejections rejections,
                         TokenExpiry tokenExpiry) {
        super(connections);
        this.chat = chat;
        this.games = games;
        this.rejections = rejections;
        this.tokenExpiry = tokenExpiry;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        var connection = connections.opened(session);
        var attributes = session.getAttributes();
        if (attributes.get(TokenCheck.VALID_UNTIL) instanceof Instant validUntil) {
            tokenExpiry.closeAt(connection, validUntil);
        }
        ChatSession chatSession = chat.open(connection, (String) attributes.get(ChatHandshakeInterceptor.ROOM),
                (String) attributes.get(ChatHandshakeInterceptor.NAME), attributes.containsKey(TokenCheck.AUTHENTICATED_NAME),
                null, HandshakeRecorder.of(attributes));
        if (chatSession == null) {
            return;
        }
        attributes.put(CHAT_SESSION, chatSession);
        boolean binary = BINARY_PROTOCOL.equals(session.getAcceptedProtocol());
        GamePlayer player = games.join((String) attributes.get(GameHandshakeInterceptor.GAME), connection,
                chatSession.name(), binary);
        if (player == null) {
            // Filled up since the handshake looked.
            rejections.reject(session.getId(), connection.remoteAddress(), "game_full");
            connection.close(Disconnect.TRY_AGAIN_LATER);
            return;
        }
        attributes.put(PLAYER, player);
    }

    @Override
    protected void handleText(WebSocketSession session, WebSocketClientConnection connection, String text) {
        var attributes = session.getAttributes();
        GamePlayer player = (GamePlayer) attributes.get(PLAYER);
        ChatSession chatSession = (ChatSession) attributes.get(CHAT_SESSION);
        if (player == null || chatSession == null) {
            return;
        }
        if (!games.onText(player, text)) {
            chat.onFrame(chatSession, text);
        }
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
        var connection = OpenConnections.of(session);
        GamePlayer player = (GamePlayer) session.getAttributes().get(PLAYER);
        if (connection == null || player == null) {
            return;
        }
        if (!player.binary()) {
            connection.refuse(Disconnect.UNSUPPORTED_DATA, "binary_frame");
            return;
        }
        connection.heard();
        if (!message.isLast()) {
            // Inputs are a few bytes; one larger than the container's read buffer is not an input.
            connection.refuse(Disconnect.TOO_BIG, "message_too_big");
            return;
        }
        games.onBinary(player, message.getPayload());
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        log.debug("session {}: transport error: {}", session.getId(), exception.toString());
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        super.afterConnectionClosed(session, status);
        GamePlayer player = (GamePlayer) session.getAttributes().remove(PLAYER);
        if (player != null) {
            games.leave(player);
        }
        ChatSession chatSession = (ChatSession) session.getAttributes().remove(CHAT_SESSION);
        if (chatSession != null) {
            chat.close(chatSession);
        }
    }
}
