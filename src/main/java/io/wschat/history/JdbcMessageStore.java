package io.wschat.history;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

import io.wschat.chat.ChatMessage;
import io.wschat.chat.MessageStore;
import io.wschat.chat.NewMessage;
import io.wschat.chat.StoreUnavailableException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * History in a relational database (SQLite or PostgreSQL, schema by Flyway).
 *
 * <p>Appends go through {@link GroupCommit}: one writer thread stores whatever appends have
 * gathered in one transaction, then makes the commit durable, and only then answers each caller.
 * Durable means: the commit returns once its changes are forced to the device. On PostgreSQL it waits
 * for the WAL flush (forced on for these transactions if the server runs with
 * {@code synchronous_commit=off}); on SQLite it syncs its journal, which needs {@code synchronous=FULL}
 * (or {@code EXTRA}): the store refuses to start on a connection configured otherwise.
 *
 * <p>Within a batch transaction: look up each {@code cid} under its sender, bump each room's
 * counter row once for all of that room's new messages (rooms in name order, so two instances'
 * batches cannot deadlock; the row lock orders appenders on any number of instances), insert
 * the messages and their cids. Two first appends to a new room, or the same sender's cid on two
 * instances at once, collide on a unique key; the loser rolls back, counters included, and
 * retries, so sequences stay gap-free and are never reused.
 *
 * <p>Every statement runs with the query timeout; failures that mean the database is
 * unreachable, too slow or locked up come out as {@link StoreUnavailableException}.
 */
final class JdbcMessageStore implements MessageStore, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JdbcMessageStore.class);
    private static final int MAX_ATTEMPTS = 5;
    private static final int HEADS_PER_QUERY = 500;
    private static final TypeReference<Map<String, Object>> DATA = new TypeReference<>() {
    };
    private static final String COLUMNS = "room, seq, from_id, from_name, text, ts, cid, data";

    /** What makes a commit durable on this database, beyond the commit itself. */
    private enum Flush { NONE, POSTGRES_SYNCHRONOUS_COMMIT }

    private final JdbcTemplate template;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final ObjectMapper json;
    private final Clock clock;
    private final Flush flush;
    /** SQLite: take the write lock with the transaction's first statement (see {@link #appendInTransaction}). */
    private final boolean writeLockFirst;
    private final GroupCommit writer;

    /** {@code template} carries the query timeout every statement runs with. */
    JdbcMessageStore(JdbcTemplate template, TransactionTemplate transactions, ObjectMapper json, Clock clock,
                     HistoryProperties.Jdbc settings) {
        this.template = template;
        this.jdbc = JdbcClient.create(template);
        this.transactions = transactions;
        this.json = json;
        this.clock = clock;
        this.flush = detectFlush();
        this.writeLockFirst = "SQLite".equals(product());
        this.writer = new GroupCommit(this::appendAll, settings.writeQueue(), settings.maxBatch(), settings.maxQueueWait());
    }

    private String product() {
        return template.execute((ConnectionCallback<String>) c -> c.getMetaData().getDatabaseProductName());
    }

    private Flush detectFlush() {
        String product = product();
        if ("SQLite".equals(product)) {
            checkSqliteIsDurable();
            return Flush.NONE;
        }
        if ("PostgreSQL".equals(product)) {
            String setting = jdbc.sql("SHOW synchronous_commit").query(String.class).single();
            if ("off".equals(setting)) {
                log.info("history on PostgreSQL with synchronous_commit=off: appends set it on for their own transactions,"
                        + " so an acknowledgement waits for the WAL flush");
                return Flush.POSTGRES_SYNCHRONOUS_COMMIT;
            }
        }
        return Flush.NONE;
    }

    /**
     * A commit on SQLite is durable only with {@code synchronous=FULL} or {@code EXTRA}; with less, an
     * acknowledged message can be lost when the machine loses power. Without {@code foreign_keys},
     * pruning a message would leave its cid behind. Both are per-connection settings of the URL.
     */
    private void checkSqliteIsDurable() {
        int synchronous = jdbc.sql("PRAGMA synchronous").query(Integer.class).single();
        int foreignKeys = jdbc.sql("PRAGMA foreign_keys").query(Integer.class).single();
        String journal = jdbc.sql("PRAGMA journal_mode").query(String.class).single();
        if (synchronous < 2 || foreignKeys != 1) {
            throw new IllegalStateException("history on SQLite needs synchronous=FULL and foreign_keys=true in"
                    + " spring.datasource.url (it has synchronous=" + synchronous + ", foreign_keys=" + foreignKeys
                    + "), e.g. jdbc:sqlite:./data/wschat.db?journal_mode=WAL&synchronous=FULL&busy_timeout=2000"
                    + "&foreign_keys=true");
        }
        log.info("history on SQLite (journal_mode={}): every batch of appends is synced to disk before it is acknowledged", journal);
    }

    @Override
    public Appended append(NewMessage message) {
        return writer.append(message);
    }

    /** One batch: stored in one transaction, made durable, or not stored at all. */
    List<Appended> appendAll(List<NewMessage> batch) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transactions.execute(status -> appendInTransaction(batch));
            } catch (DuplicateKeyException | ConcurrencyFailureException e) {
                // Another instance created the same room or stored the same sender's cid first, or a
                // deadlock victim: read again. A lock wait that timed out is "too slow", not retried.
                if (attempt == MAX_ATTEMPTS || e instanceof CannotAcquireLockException) {
                    throw translated(e);
                }
            } catch (RuntimeException e) {
                throw translated(e);
            }
        }
    }

    private List<Appended> appendInTransaction(List<NewMessage> batch) {
        if (writeLockFirst) {
            // A SQLite transaction that reads (the cid lookups) and writes later fails at once, without
            // waiting, when another writer (the pruner) committed in between; a write as its first
            // statement waits for the lock (busy_timeout) and then reads the latest state.
            jdbc.sql("UPDATE chat_room SET last_seq = last_seq WHERE 1 = 0").update();
        }
        if (flush == Flush.POSTGRES_SYNCHRONOUS_COMMIT) {
            jdbc.sql("SET LOCAL synchronous_commit TO on").update();
        }
        Appended[] results = new Appended[batch.size()];
        int[] duplicateOf = new int[batch.size()];
        Arrays.fill(duplicateOf, -1);
        Map<List<String>, Integer> firstInBatch = new HashMap<>();
        // Sorted: every instance locks counter rows in the same order.
        Map<String, List<Integer>> newByRoom = new TreeMap<>();
        for (int i = 0; i < batch.size(); i++) {
            NewMessage m = batch.get(i);
            if (m.cid() != null) {
                List<String> key = List.of(m.room(), m.sender(), m.cid());
                Integer earlier = firstInBatch.get(key);
                if (earlier != null) {
                    duplicateOf[i] = earlier;
                    continue;
                }
                Optional<ChatMessage> original = findByCid(m.room(), m.sender(), m.cid());
                if (original.isPresent()) {
                    results[i] = new Appended(original.get(), true);
                    continue;
                }
                firstInBatch.put(key, i);
            }
            newByRoom.computeIfAbsent(m.room(), r -> new ArrayList<>()).add(i);
        }
        long ts = clock.millis();
        List<Object[]> messageRows = new ArrayList<>();
        List<Object[]> cidRows = new ArrayList<>();
        newByRoom.forEach((room, indexes) -> {
            long seq = reserve(room, indexes.size()) - indexes.size();
            for (int i : indexes) {
                NewMessage m = batch.get(i);
                ChatMessage stored = new ChatMessage(room, ++seq, m.fromId(), m.from(), m.text(), ts, m.cid(), m.data());
                results[i] = new Appended(stored, false);
                messageRows.add(new Object[] {stored.room(), stored.seq(), stored.fromId(), stored.from(), stored.text(),
                        stored.ts(), stored.cid(), stored.data() == null ? null : json.writeValueAsString(stored.data())});
                if (stored.cid() != null) {
                    cidRows.add(new Object[] {room, m.sender(), stored.cid(), stored.seq(), ts});
                }
            }
        });
        if (!messageRows.isEmpty()) {
            template.batchUpdate("INSERT INTO chat_message (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)", messageRows);
        }
        if (!cidRows.isEmpty()) {
            template.batchUpdate("INSERT INTO chat_message_sender_cid (room, sender, cid, seq, ts) VALUES (?, ?, ?, ?, ?)", cidRows);
        }
        for (int i = 0; i < batch.size(); i++) {
            if (duplicateOf[i] >= 0) {
                results[i] = new Appended(results[duplicateOf[i]].message(), true);
            }
        }
        return Arrays.asList(results);
    }

    /** Takes the room's next {@code count} sequence numbers under its counter row's lock; returns the last. */
    private long reserve(String room, int count) {
        int updated = jdbc.sql("UPDATE chat_room SET last_seq = last_seq + ? WHERE room = ?").params(count, room).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO chat_room (room, last_seq) VALUES (?, ?)").params(room, count).update();
            return count;
        }
        return jdbc.sql("SELECT last_seq FROM chat_room WHERE room = ?").param(room).query(Long.class).single();
    }

    private Optional<ChatMessage> findByCid(String room, String sender, String cid) {
        return jdbc.sql("SELECT m.room, m.seq, m.from_id, m.from_name, m.text, m.ts, m.cid, m.data"
                        + " FROM chat_message_sender_cid c JOIN chat_message m ON m.room = c.room AND m.seq = c.seq"
                        + " WHERE c.room = ? AND c.sender = ? AND c.cid = ?")
                .params(room, sender, cid)
                .query(this::toMessage)
                .optional();
    }

    /** A failure that means "the database is not there, too slow or locked up" becomes {@link StoreUnavailableException}. */
    static RuntimeException translated(RuntimeException e) {
        if (e instanceof StoreUnavailableException) {
            return e;
        }
        if (e instanceof TransientDataAccessException || e instanceof DataAccessResourceFailureException
                || e instanceof RecoverableDataAccessException || e instanceof CannotCreateTransactionException
                || e instanceof TransactionSystemException || unavailableState(e)) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new StoreUnavailableException("the database failed: " + cause, e);
        }
        return e;
    }

    /**
     * SQLSTATE classes that say "not reachable or not answering" whatever exception they were mapped to:
     * 08 connection exception, 53 insufficient resources, 57 operator intervention (57014: cancelled by
     * the query timeout), HYT timeouts.
     */
    private static boolean unavailableState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                return state.startsWith("08") || state.startsWith("53") || state.startsWith("57") || state.startsWith("HYT");
            }
        }
        return false;
    }

    private static <T> T read(Supplier<T> query) {
        try {
            return query.get();
        } catch (RuntimeException e) {
            throw translated(e);
        }
    }

    /** Stores what is already queued, then stops the writer; called when the application shuts down. */
    @Override
    public void close() {
        writer.close();
    }

    @Override
    public List<ChatMessage> after(String room, long afterSeq, int limit) {
        return read(() -> jdbc.sql("SELECT " + COLUMNS + " FROM chat_message WHERE room = ? AND seq > ? ORDER BY seq LIMIT ?")
                .params(room, afterSeq, limit)
                .query(this::toMessage)
                .list());
    }

    @Override
    public List<ChatMessage> before(String room, long beforeSeq, int limit) {
        List<ChatMessage> newestFirst = new ArrayList<>(read(() -> jdbc.sql("SELECT " + COLUMNS
                        + " FROM chat_message WHERE room = ? AND seq < ? ORDER BY seq DESC LIMIT ?")
                .params(room, beforeSeq, limit)
                .query(this::toMessage)
                .list()));
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    @Override
    public long lastSeq(String room) {
        return read(() -> jdbc.sql("SELECT last_seq FROM chat_room WHERE room = ?").param(room)
                .query(Long.class).optional().orElse(0L));
    }

    /** One query per few hundred rooms, on the counter rows' primary key. */
    @Override
    public Map<String, Long> lastSeqs(Collection<String> rooms) {
        Map<String, Long> heads = new HashMap<>();
        List<String> all = List.copyOf(rooms);
        for (int from = 0; from < all.size(); from += HEADS_PER_QUERY) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + HEADS_PER_QUERY));
            String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            read(() -> jdbc.sql("SELECT room, last_seq FROM chat_room WHERE room IN (" + marks + ")")
                    .params(chunk)
                    .query((rs, row) -> new RoomSeq(rs.getString("room"), rs.getLong("last_seq")))
                    .list())
                    .forEach(head -> heads.put(head.room(), head.lastSeq()));
        }
        return heads;
    }

    @Override
    public List<RoomSeq> rooms(String afterRoom, int limit) {
        return read(() -> jdbc.sql("SELECT room, last_seq FROM chat_room WHERE room > ? ORDER BY room LIMIT ?")
                .params(afterRoom, limit)
                .query((rs, row) -> new RoomSeq(rs.getString("room"), rs.getLong("last_seq")))
                .list());
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
        List<Long> oldest = jdbc.sql("SELECT ts FROM chat_message_sender_cid WHERE ts < ? ORDER BY ts LIMIT ?")
                .params(olderThanMillis, limit)
                .query(Long.class)
                .list();
        if (oldest.isEmpty()) {
            return 0;
        }
        return jdbc.sql("DELETE FROM chat_message_sender_cid WHERE ts <= ?").param(oldest.get(oldest.size() - 1)).update();
    }

    private ChatMessage toMessage(ResultSet rs, int row) throws SQLException {
        String data = rs.getString("data");
        return new ChatMessage(rs.getString("room"), rs.getLong("seq"), rs.getString("from_id"), rs.getString("from_name"),
                rs.getString("text"), rs.getLong("ts"), rs.getString("cid"), data == null ? null : json.readValue(data, DATA));
    }
}
