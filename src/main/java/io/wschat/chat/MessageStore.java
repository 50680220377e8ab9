package io.wschat.chat;

import java.util.List;

/**
 * Durable per-room history.
 *
 * <p>Guarantees: {@link #append} assigns the room's next sequence number (strictly increasing,
 * no gaps between committed messages) and returns only once the message is stored, so
 * an acknowledgement sent after it means "stored". Reads return messages in ascending
 * sequence order. Implementations are thread-safe.
 */
public interface MessageStore {

    ChatMessage append(NewMessage message);

    /** Messages with {@code seq > afterSeq}, oldest first, at most {@code limit}. */
    List<ChatMessage> after(String room, long afterSeq, int limit);

    /** The newest messages with {@code seq < beforeSeq}, oldest first, at most {@code limit}. */
    List<ChatMessage> before(String room, long beforeSeq, int limit);

    /** The room's newest messages, oldest first, at most {@code limit}. */
    default List<ChatMessage> latest(String room, int limit) {
        return before(room, Long.MAX_VALUE, limit);
    }

    /** The room's highest sequence number, 0 when the room has no messages. */
    long lastSeq(String room);
}
