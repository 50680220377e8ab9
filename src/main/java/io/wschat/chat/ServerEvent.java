package io.wschat.chat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;

/** Everything the server sends a {@code /chat} client; each is one JSON text frame with a {@code type}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(ServerEvent.Welcome.class),
        @JsonSubTypes.Type(ServerEvent.Message.class),
        @JsonSubTypes.Type(ServerEvent.PresenceChange.class),
        @JsonSubTypes.Type(ServerEvent.Typing.class),
        @JsonSubTypes.Type(ServerEvent.Pong.class),
        @JsonSubTypes.Type(ServerEvent.Error.class)
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface ServerEvent {

    /** Sent after the handshake and after every {@code join}: who you are, where, with whom, and what you missed. */
    @JsonTypeName("welcome")
    record Welcome(String id, String name, String room, List<Member> members, List<Message> history,
                   Boolean truncated, long lastSeq, long serverTime, Handshake handshake) implements ServerEvent {
    }

    /** What this connection's opening handshake looked like on the server side, so a learner can see it. */
    record Handshake(String requestLine, Map<String, String> requestHeaders, String secWebSocketAccept) {
    }

    @JsonTypeName("message")
    record Message(String room, long seq, String fromId, String from, String text, long ts, String cid,
                   Map<String, Object> data) implements ServerEvent {

        public static Message of(ChatMessage m) {
            return new Message(m.room(), m.seq(), m.fromId(), m.from(), m.text(), m.ts(), m.cid(), m.data());
        }
    }

    @JsonTypeName("presence")
    record PresenceChange(String room, String event, Member member, String previousName,
                          List<Member> members) implements ServerEvent {
    }

    @JsonTypeName("typing")
    record Typing(String room, Member member) implements ServerEvent {
    }

    @JsonTypeName("pong")
    record Pong(long serverTime, String id) implements ServerEvent {
    }

    @JsonTypeName("error")
    record Error(String code, String message) implements ServerEvent {

        public static Error of(ErrorCode code, String message) {
            return new Error(code.code(), message);
        }
    }
}
