package io.wschat.websocket;

import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import io.wschat.chat.ChatService;
import io.wschat.chat.ErrorCode;
import io.wschat.chat.Names;
import io.wschat.chat.ProtocolException;
import io.wschat.security.HandshakeRefusal;
import io.wschat.security.TokenCheck;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Reads and validates {@code /chat}'s query parameters ({@code room}, {@code name},
 * {@code since}, {@code client}) before the upgrade, so a bad one is a plain 400 with a reason, not a
 * connection that opens only to fail; a full room, or a new room on a server with its
 * maximum of rooms, is a 503. A name from a verified token wins over {@code name}.
 */
final class ChatHandshakeInterceptor implements HandshakeInterceptor {

    static final String ROOM = "chat.room";
    static final String NAME = "chat.name";
    static final String SINCE = "chat.since";
    /** The key this client's message cids are de-duplicated under; see {@link io.wschat.chat.ClientConnection#clientKey()}. */
    static final String CLIENT_KEY = "chat.client-key";

    /** Longer subjects are stored as their hash, so the key fits its column. */
    private static final int MAX_SUBJECT_LENGTH = 200;

    private final String defaultRoom;
    private final ChatService chat;
    private final HandshakeRefusal refusal;

    ChatHandshakeInterceptor(String defaultRoom, ChatService chat, HandshakeRefusal refusal) {
        this.defaultRoom = defaultRoom;
        this.chat = chat;
        this.refusal = refusal;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                                   WebSocketHandler handler, Map<String, Object> attributes) {
        var query = UriComponentsBuilder.fromUri(request.getURI()).build(true).getQueryParams();
        String room;
        try {
            String requestedRoom = decoded("room", query.getFirst("room"));
            String name = decoded("name", query.getFirst("name"));
            room = requestedRoom == null || requestedRoom.isEmpty() ? defaultRoom : Names.room(requestedRoom);
            attributes.put(ROOM, room);
            if (attributes.get(TokenCheck.AUTHENTICATED_NAME) instanceof String authenticated) {
                attributes.put(NAME, authenticated);
            } else {
                attributes.put(NAME, name == null || name.isEmpty() ? Names.guestName() : Names.name(name));
            }
            attributes.put(CLIENT_KEY, clientKey(attributes, decoded("client", query.getFirst("client"))));
            String since = query.getFirst("since");
            if (since != null && !since.isEmpty()) {
                attributes.put(SINCE, parseSince(since));
            }
        } catch (ProtocolException e) {
            return refusal.refuse(request, response, HttpStatus.BAD_REQUEST, e.code().code(), e.getMessage());
        }
        try {
            chat.checkCanEnter(room);
            return true;
        } catch (ProtocolException e) {
            return refusal.refuse(request, response, HttpStatus.SERVICE_UNAVAILABLE, e.code().code(), e.getMessage());
        }
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response,
                               WebSocketHandler handler, Exception exception) {
    }

    /**
     * The token's subject when tokens are on (a client cannot pick it), else the client id it presented,
     * else a random key: connection ids are counters that repeat across restarts and instances.
     * Prefixed so that a client id can never pose as a subject.
     */
    private static String clientKey(Map<String, Object> attributes, String clientId) {
        if (attributes.get(TokenCheck.AUTHENTICATED_SUBJECT) instanceof String subject) {
            return "sub:" + (subject.length() <= MAX_SUBJECT_LENGTH ? subject : sha256(subject));
        }
        if (clientId != null && !clientId.isEmpty()) {
            return "client:" + Names.clientId(clientId);
        }
        return "conn:" + UUID.randomUUID();
    }

    private static String sha256(String value) {
        try {
            return "sha256-" + HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * Percent-decodes to bytes first, then reads them as UTF-8 strictly: a malformed sequence (or
     * an encoded surrogate) is refused as {@code invalid_text} instead of silently becoming U+FFFD.
     */
    private static String decoded(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            byte[] bytes = URLDecoder.decode(value, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.ISO_8859_1);
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw new ProtocolException(ErrorCode.INVALID_TEXT, "'" + field + "' is not valid percent-encoded UTF-8");
        }
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
