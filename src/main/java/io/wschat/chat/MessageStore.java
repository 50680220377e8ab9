package io.wschat.chat;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Durable per-room history.
 *
 * <p>Guarantees: {@link #append} assigns the room's next sequence number (strictly increasing,
 * no gaps between committed messages, never reused, even after old messages are pruned) and
 * returns only once the message is stored, so an acknowledgement sent after it means "stored".
 * This holds with several server instances appending to one room through one database.
 * Reads return messages in ascending sequence order. Implementations are thread-safe.
 *
 * <p>Every method throws {@link StoreUnavailableException} when the store cannot be reached or
 * does not answer within its bounded wait (or, for {@link #append}, when too many appends are
 * already waiting): then nothing was stored, and the caller may retry.
 */
public interface MessageStore {

    /**
     * Stores a message, unless one with the same non-null {@code cid} from the same
     * {@linkplain NewMessage#sender() sender} is already stored in the room (a client's resend):
     * then nothing is stored and the original comes back with {@code duplicate} set. Another
     * sender's message is never returned for a cid. A {@code cid} is remembered at least until
     * {@link #forgetCids} is called with a cut-off after its message's timestamp, or its
     * message is pruned.
     */
    Appended append(NewMessage message);

    /** Messages with {@code seq > afterSeq}, oldest first, at most {@code limit}. */
    List<ChatMessage> after(String room, long afterSeq, int limit);

    /** The newest messages with {@code seq < beforeSeq}, oldest first, at most {@code limit}. */
    List<ChatMessage> before(String room, long beforeSeq, int limit);

    /** The room's newest messages, oldest first, at most {@code limit}. */
    default List<ChatMessage> latest(String room, int limit) {
        return before(room, Long.MAX_VALUE, limit);
    }

    /** The room's highest sequence number ever assigned, 0 when the room never had a message. */
    long lastSeq(String room);

    /**
     * {@link #lastSeq} of many rooms at once (a room that never had a message may be left out):
     * what a periodic check of every followed room asks, so a store should answer it in one query.
     */
    default Map<String, Long> lastSeqs(Collection<String> rooms) {
        Map<String, Long> heads = new HashMap<>();
        rooms.forEach(room -> heads.put(room, lastSeq(room)));
        return heads;
    }

    /** Rooms that ever had a message, by name, those named after {@code afterRoom} ("" for the first), at most {@code limit}. */
    List<RoomSeq> rooms(String afterRoom, int limit);

    /**
     * Deletes at most {@code limit} of the room's oldest messages that are either beyond its
     * newest {@code keepNewest} or older than {@code olderThanMillis}; returns how many it deleted.
     */
    int prune(String room, long keepNewest, long olderThanMillis, int limit);

    /** Forgets at most {@code limit} idempotency ids of messages older than {@code olderThanMillis}; returns how many. */
    int forgetCids(long olderThanMillis, int limit);

    /** What {@link #append} did: the stored message, and whether it had been stored before under the same cid. */
    record Appended(ChatMessage message, boolean duplicate) {
    }

    /** A room and the highest sequence number it ever assigned. */
    record RoomSeq(String room, long lastSeq) {
    }
}
