package io.wschat.websocket;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.wschat.chat.ErrorCode;
import io.wschat.chat.Names;
import io.wschat.chat.ProtocolException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Reads and validates {@code /chat}'s query parameters ({@code room}, {@code name},
 * {@code since}) before the upgrade, so a bad one is a plain 400 with a reason, not a
 * connection that opens only to fail.
 */
final class ChatHandshakeInterceptor implements HandshakeInterceptor {

    static final String ROOM = "chat.room";
    static final String NAME = "chat.name";
    static final String SINCE = "chat.since";

    private static final Logger log = LoggerFactory.getLogger(ChatHandshakeInterceptor.class);

    private final String defaultRoom;

    ChatHandshakeInterceptor(String defaultRoom) {
        this.defaultRoom = defaultRoom;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                                   WebSocketHandler handler, Map<String, Object> attributes) throws Exception {
        var query = UriComponentsBuilder.fromUri(request.getURI()).build(true).getQueryParams();
        try {
            String room = decoded(query.getFirst("room"));
            String name = decoded(query.getFirst("name"));
            attributes.put(ROOM, room == null || room.isEmpty() ? defaultRoom : Names.room(room));
            attributes.put(NAME, name == null || name.isEmpty() ? Names.guestName() : Names.name(name));
            String since = query.getFirst("since");
            if (since != null && !since.isEmpty()) {
                attributes.put(SINCE, parseSince(since));
            }
            return true;
        } catch (ProtocolException e) {
            log.warn("handshake from {} refused: {}", request.getRemoteAddress(), e.getMessage());
            response.setStatusCode(HttpStatus.BAD_REQUEST);
            response.getHeaders().setContentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8));
            response.getBody().write((e.code().code() + ": " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
            return false;
        }
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response,
                               WebSocketHandler handler, Exception exception) {
    }

    private static String decoded(String value) {
        return value == null ? null : URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    private static long parseSince(String since) {
        try {
            long seq = Long.parseLong(since);
            if (seq >= 0) {
                return seq;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ProtocolException(ErrorCode.INVALID_COMMAND, "since must be a non-negative integer");
    }
}
