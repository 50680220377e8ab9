package io.wschat.websocket;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

import io.wschat.chat.ChatService;
import io.wschat.chat.Names;
import io.wschat.chat.ProtocolException;
import io.wschat.game.GameService;
import io.wschat.security.HandshakeRefusal;
import io.wschat.security.TokenCheck;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Reads {@code /game/ws}'s query parameters ({@code game}, {@code name}) before the upgrade:
 * a bad one is a 400 with a reason; a full game, or a full chat room or server, a 503. A name
 * from a verified token wins over {@code name}, as on {@code /chat}. The game's chat is the
 * chat room {@code game.<game>}, so the chat's rules and limits apply to it unchanged.
 */
final class GameHandshakeInterceptor implements HandshakeInterceptor {

    static final String GAME = "game.name";
    static final String ROOM_PREFIX = "game.";
    private static final Pattern GAME_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,31}");

    private final ChatService chat;
    private final GameService games;
    private final HandshakeRefusal refusal;

    GameHandshakeInterceptor(ChatService chat, GameService games, HandshakeRefusal refusal) {
        this.chat = chat;
        this.games = games;
        this.refusal = refusal;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                                   WebSocketHandler handler, Map<String, Object> attributes) {
        var query = UriComponentsBuilder.fromUri(request.getURI()).build(true).getQueryParams();
        String game = decoded(query.getFirst("game"));
        if (game == null || !GAME_NAME.matcher(game).matches()) {
            return refusal.refuse(request, response, HttpStatus.BAD_REQUEST, "invalid_game",
                    "game must be 1-32 characters: letters, digits, '_', '-', starting with a letter or digit");
        }
        String room = ROOM_PREFIX + game;
        try {
            String name = decoded(query.getFirst("name"));
            if (attributes.get(TokenCheck.AUTHENTICATED_NAME) instanceof String authenticated) {
                attributes.put(ChatHandshakeInterceptor.NAME, authenticated);
            } else {
                attributes.put(ChatHandshakeInterceptor.NAME, name == null || name.isEmpty() ? Names.guestName() : Names.name(name));
            }
        } catch (ProtocolException e) {
            return refusal.refuse(request, response, HttpStatus.BAD_REQUEST, e.code().code(), e.getMessage());
        }
        if (!games.hasRoom(game)) {
            return refusal.refuse(request, response, HttpStatus.SERVICE_UNAVAILABLE, "game_full",
                    "game '" + game + "' already has the maximum of " + games.rules().maxPlayers() + " players");
        }
        try {
            chat.checkCanEnter(room);
        } catch (ProtocolException e) {
            return refusal.refuse(request, response, HttpStatus.SERVICE_UNAVAILABLE, e.code().code(), e.getMessage());
        }
        attributes.put(GAME, game);
        attributes.put(ChatHandshakeInterceptor.ROOM, room);
        return true;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response,
                               WebSocketHandler handler, Exception exception) {
    }

    private static String decoded(String value) {
        return value == null ? null : URLDecoder.decode(value, StandardCharsets.UTF_8);
    }
}
