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
        @JsonSubTypes.Type(ServerEvent.History.class),
        @JsonSubTypes.Type(ServerEvent.PresenceChange.class),
        @JsonSubTypes.Type(ServerEvent.Members.class),
        @JsonSubTypes.Type(ServerEvent.Typing.class),
        @JsonSubTypes.Type(ServerEvent.Pong.class),
        @JsonSubTypes.Type(ServerEvent.Error.class),
        @JsonSubTypes.Type(ServerEvent.Progress.class),
        @JsonSubTypes.Type(ServerEvent.Time.class)
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface ServerEvent {

    /**
     * Sent after the handshake and after every {@code join}: who you are, where, with whom, and what you missed.
     *
     * @param truncated true when {@code history} does not reach back to the {@code since} asked for
     *                  (too many missed, or older ones pruned); {@code firstSeq} then says where it starts
     * @param lastSeq   the sequence this client is now at: live messages follow from {@code lastSeq + 1}
     * @param members          the room's members in the order they joined, at most {@code chat.welcome-members} of them
     * @param memberCount      how many members the room has, listed or not
     * @param membersTruncated true when {@code members} lists only the first of them; the {@code members} command pages the rest
     */
    @JsonTypeName("welcome")
    record Welcome(String id, String name, String room, List<Member> members, int memberCount, Boolean membersTruncated,
                   List<Message> history, Boolean truncated, Long firstSeq, long lastSeq, long serverTime,
                   Handshake handshake) implements ServerEvent {
    }

    /** What this connection's opening handshake looked like on the server side, so a learner can see it. */
    record Handshake(String requestLine, Map<String, String> requestHeaders, String secWebSocketAccept) {
    }

    /**
     * A chat message. The sender's own copy is its acknowledgement; {@code duplicate} is set on the
     * copy that answers a resend of an already stored {@code cid}, sent to that sender alone.
     *
     * <p>Made from a stored message, its strings are read with U+FFFD for any unpaired surrogate:
     * text stored before {@link TextRule} refused it then looks the same on every path (a
     * {@code welcome}, a {@code history} page, the HTTP read API) and can always be encoded.
     */
    @JsonTypeName("message")
    record Message(String room, long seq, String fromId, String from, String text, long ts, String cid,
                   Map<String, Object> data, Boolean duplicate) implements ServerEvent {

        public static Message of(ChatMessage m) {
            return of(m, null);
        }

        static Message ofDuplicate(ChatMessage m) {
            return of(m, Boolean.TRUE);
        }

        private static Message of(ChatMessage m, Boolean duplicate) {
            return new Message(m.room(), m.seq(), m.fromId(), TextRule.withoutUnpairedSurrogates(m.from()),
                    TextRule.withoutUnpairedSurrogates(m.text()), m.ts(), TextRule.withoutUnpairedSurrogates(m.cid()), m.data(), duplicate);
        }
    }

    /** The answer to a {@code history} command: older messages, oldest first; {@code hasMore} when even older ones exist. */
    @JsonTypeName("history")
    record History(String room, List<Message> messages, boolean hasMore) implements ServerEvent {
    }

    /**
     * Who joined, left or was renamed, and how many members the room has now. It never carries the
     * member list: in a room of N members that would make N joins cost O(N²) bytes. Clients keep
     * the list from the {@code welcome} and these changes, or page it with the {@code members} command.
     * A large room's changes come several to an event, in {@code changes}.
     */
    @JsonTypeName("presence")
    record PresenceChange(String room, String event, Member member, String previousName, List<Change> changes, int count)
            implements ServerEvent {

        /** One change: {@code joined}, {@code left} or {@code renamed} (with the {@code previousName}). */
        public static PresenceChange of(String room, String event, Member member, String previousName, int count) {
            return new PresenceChange(room, event, member, previousName, null, count);
        }

        /**
         * Several changes of a large room, in the order they happened, as one event ({@code "event": "changes"});
         * {@code count} is the room's size after the last of them. See {@link PresenceBatches}.
         */
        public static PresenceChange batch(String room, List<Change> changes, int count) {
            return new PresenceChange(room, "changes", null, null, changes, count);
        }

        @JsonInclude(JsonInclude.Include.NON_NULL)
        public record Change(String event, Member member, String previousName) {
        }
    }

    /** One page of the room's member list, in the order they joined: the answer to a {@code members} command. */
    @JsonTypeName("members")
    record Members(String room, int offset, List<Member> members, int count) implements ServerEvent {
    }

    @JsonTypeName("typing")
    record Typing(String room, Member member) implements ServerEvent {
    }

    @JsonTypeName("pong")
    record Pong(long serverTime, String id) implements ServerEvent {
    }

    /** A refusal; {@code cid} is set when the refused frame was a {@code message} that had one. */
    @JsonTypeName("error")
    record Error(String code, String message, String cid) implements ServerEvent {

        public static Error of(ErrorCode code, String message) {
            return new Error(code.code(), message, null);
        }
    }

    /**
     * How far a job has got. A job started with the {@code progress} command reports to that
     * connection alone ({@code room} null); one started through the HTTP API reports into {@code room}.
     *
     * @param state          running, done, failed or cancelled; every job ends with exactly one of the last three
     * @param percent        0-100, with one decimal
     * @param bytesPerSecond the average rate since the job started
     * @param etaMillis      the expected time left at that rate; null until a rate is known
     * @param reason         why a job failed or was cancelled; null otherwise
     */
    @JsonTypeName("progress")
    record Progress(String jobId, String room, String label, String state, double percent, long bytes,
                    long totalBytes, int chunk, int chunks, long bytesPerSecond, Long etaMillis,
                    String reason) implements ServerEvent {
    }

    /** A tick of the {@code time} subscription: the server's clock and how many ticks this subscription has sent. */
    @JsonTypeName("time")
    record Time(long serverTime, long counter) implements ServerEvent {
    }
}
