package io.wschat.history;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

import io.wschat.chat.ChatMessage;
import io.wschat.chat.MessageStore;
import io.wschat.chat.NewMessage;

import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * History in a relational database (H2 or PostgreSQL, schema by Flyway).
 *
 * <p>An append is one transaction: look up the {@code cid}, bump the room's counter row (its
 * row lock orders concurrent appenders, on any number of instances), insert the message and
 * its {@code cid}. Two first appends to a new room, or two sends of one {@code cid}, collide on
 * a unique key; the loser rolls back, counter included, and retries, so sequences stay gap-free.
 */
final class JdbcMessageStore implements MessageStore {

    private static final int MAX_ATTEMPTS = 5;
    private static final int HEADS_PER_QUERY = 500;
    private static final TypeReference<Map<String, Object>> DATA = new TypeReference<>() {
    };
    private static final String COLUMNS = "room, seq, from_id, from_name, text, ts, cid, data";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final ObjectMapper json;
    private final Clock clock;

    JdbcMessageStore(JdbcClient jdbc, TransactionTemplate transactions, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public Appended append(NewMessage message) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transactions.execute(status -> appendOnce(message));
            } catch (DuplicateKeyException | ConcurrencyFailureException e) {
                if (attempt == MAX_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private Appended appendOnce(NewMessage m) {
        if (m.cid() != null) {
            Optional<ChatMessage> original = findByCid(m.room(), m.cid());
            if (original.isPresent()) {
                return new Appended(original.get(), true);
            }
        }
        long seq = nextSeq(m.room());
        ChatMessage stored = new ChatMessage(m.room(), seq, m.fromId(), m.from(), m.text(), clock.millis(), m.cid(), m.data());
        jdbc.sql("INSERT INTO chat_message (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .params(stored.room(), stored.seq(), stored.fromId(), stored.from(), stored.text(), stored.ts(),
                        stored.cid(), stored.data() == null ? null : json.writeValueAsString(stored.data()))
                .update();
        if (stored.cid() != null) {
            jdbc.sql("INSERT INTO chat_message_cid (room, cid, seq, ts) VALUES (?, ?, ?, ?)")
                    .params(stored.room(), stored.cid(), stored.seq(), stored.ts())
                    .update();
        }
        return new Appended(stored, false);
    }

    private long nextSeq(String room) {
        int updated = jdbc.sql("UPDATE chat_room SET last_seq = last_seq + 1 WHERE room = ?").param(room).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO chat_room (room, last_seq) VALUES (?, 1)").param(room).update();
            return 1;
        }
        return lastSeq(room);
    }

    private Optional<ChatMessage> findByCid(String room, String cid) {
        return jdbc.sql("SELECT m.room, m.seq, m.from_id, m.from_name, m.text, m.ts, m.cid, m.data"
                        + " FROM chat_message_cid c JOIN chat_message m ON m.room = c.room AND m.seq = c.seq"
                        + " WHERE c.room = ? AND c.cid = ?")
                .params(room, cid)
                .query(this::toMessage)
                .optional();
    }

    @Override
    public List<ChatMessage> after(String room, long afterSeq, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM chat_message WHERE room = ? AND seq > ? ORDER BY seq LIMIT ?")
                .params(room, afterSeq, limit)
                .query(this::toMessage)
                .list();
    }

    @Override
    public List<ChatMessage> before(String room, long beforeSeq, int limit) {
        List<ChatMessage> newestFirst = jdbc.sql("SELECT " + COLUMNS
                        + " FROM chat_message WHERE room = ? AND seq < ? ORDER BY seq DESC LIMIT ?")
                .params(room, beforeSeq, limit)
                .query(this::toMessage)
                .list();
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    @Override
    public long lastSeq(String room) {
        return jdbc.sql("SELECT last_seq FROM chat_room WHERE room = ?").param(room)
                .query(Long.class).optional().orElse(0L);
    }

    /** One query per few hundred rooms, on the counter rows' primary key. */
    @Override
    public Map<String, Long> lastSeqs(Collection<String> rooms) {
        Map<String, Long> heads = new HashMap<>();
        List<String> all = List.copyOf(rooms);
        for (int from = 0; from < all.size(); from += HEADS_PER_QUERY) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + HEADS_PER_QUERY));
            String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            jdbc.sql("SELECT room, last_seq FROM chat_room WHERE room IN (" + marks + ")")
                    .params(chunk)
                    .query((rs, row) -> new RoomSeq(rs.getString("room"), rs.getLong("last_seq")))
                    .list()
                    .forEach(head -> heads.put(head.room(), head.lastSeq()));
        }
        return heads;
    }

    @Override
    public List<RoomSeq> rooms(String afterRoom, int limit) {
        return jdbc.sql("SELECT room, last_seq FROM chat_room WHERE room > ? ORDER BY room LIMIT ?")
                .params(afterRoom, limit)
                .query((rs, row) -> new RoomSeq(rs.getString("room"), rs.getLong("last_seq")))
                .list();
    }

    @Override
    public int prune(String room, long keepNewest, long olderThanMillis, int limit) {
        long beyondCount = lastSeq(room) - keepNewest;
        // Read the oldest few through the primary key and delete their leading run of expired
        // ones: bounded work per call, however large the room.
        List<long[]> oldest = jdbc.sql("SELECT seq, ts FROM chat_message WHERE room = ? ORDER BY seq LIMIT ?")
                .params(room, limit)
                .query((rs, row) -> new long[] {rs.getLong("seq"), rs.getLong("ts")})
                .list();
        long upTo = -1;
        for (long[] seqAndTs : oldest) {
            if (seqAndTs[0] > beyondCount && seqAndTs[1] >= olderThanMillis) {
                break;
            }
            upTo = seqAndTs[0];
        }
        if (upTo < 0) {
            return 0;
        }
        return jdbc.sql("DELETE FROM chat_message WHERE room = ? AND seq <= ?").params(room, upTo).update();
    }

    @Override
    public int forgetCids(long olderThanMillis, int limit) {
        // The limit-th oldest expired timestamp bounds the delete (ties aside) without DELETE ... LIMIT, which PostgreSQL lacks.
        List<Long> oldest = jdbc.sql("SELECT ts FROM chat_message_cid WHERE ts < ? ORDER BY ts LIMIT ?")
                .params(olderThanMillis, limit)
                .query(Long.class)
                .list();
        if (oldest.isEmpty()) {
            return 0;
        }
        return jdbc.sql("DELETE FROM chat_message_cid WHERE ts <= ?").param(oldest.get(oldest.size() - 1)).update();
    }

    private ChatMessage toMessage(ResultSet rs, int row) throws SQLException {
        String data = rs.getString("data");
        return new ChatMessage(rs.getString("room"), rs.getLong("seq"), rs.getString("from_id"), rs.getString("from_name"),
                rs.getString("text"), rs.getLong("ts"), rs.getString("cid"), data == null ? null : json.readValue(data, DATA));
    }
}
