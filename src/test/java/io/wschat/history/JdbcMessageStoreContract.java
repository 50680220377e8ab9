package io.wschat.history;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import tools.jackson.databind.json.JsonMapper;

import io.wschat.chat.ChatMessage;
import io.wschat.chat.MessageStore;
import io.wschat.chat.NewMessage;
import io.wschat.chat.StoreUnavailableException;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store contract on a real database, migrated by the application's own Flyway scripts, plus what only a database does. */
abstract class JdbcMessageStoreContract extends MessageStoreContract {

    private final List<HikariDataSource> dataSources = new ArrayList<>();
    private final List<JdbcMessageStore> stores = new ArrayList<>();
    private String url;

    /** The JDBC URL of a new, empty database. */
    protected abstract String newDatabaseUrl();

    /** The URL of the database the store under test is on. */
    protected String url() {
        return url;
    }

    @Override
    protected MessageStore createStore(Clock clock) {
        url = newDatabaseUrl();
        JdbcMessageStore first = openStore(clock);
        Flyway.configure().dataSource(dataSources.get(0)).load().migrate();
        return first;
    }

    /** Another store on the same database, as a second server instance would have: its own pool, its own writer. */
    private JdbcMessageStore openStore(Clock clock) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(url);
        dataSource.setUsername(url.startsWith("jdbc:postgresql:") ? "postgres" : null);
        dataSource.setMaximumPoolSize(8);
        dataSource.setConnectionTimeout(2000);
        dataSources.add(dataSource);
        JdbcTemplate template = new JdbcTemplate(dataSource);
        template.setQueryTimeout(2);
        JdbcMessageStore store = new JdbcMessageStore(template, new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
                JsonMapper.builder().build(), clock, new HistoryProperties.Jdbc(Duration.ofSeconds(2), 10_000, 500, Duration.ofSeconds(2)));
        stores.add(store);
        return store;
    }

    @Override
    protected void closeStore() {
        stores.forEach(JdbcMessageStore::close);
        dataSources.forEach(HikariDataSource::close);
    }

    @Test
    void shouldKeepEachRoomGapFreeWithTwoInstancesAppendingToOneDatabase() throws Exception {
        MessageStore other = openStore(clock);
        List<MessageStore> instances = List.of(store, other);
        List<String> rooms = List.of("a", "b", "new-room");
        Map<String, List<Long>> seqsByRoom = new ConcurrentHashMap<>();
        int threads = 6;
        int each = 30;
        runConcurrently(threads, t -> () -> {
            for (int i = 0; i < each; i++) {
                String room = rooms.get((t + i) % rooms.size());
                ChatMessage stored = instances.get(t % 2).append(message(room, "t" + t + "-" + i)).message();
                seqsByRoom.computeIfAbsent(room, r -> Collections.synchronizedList(new ArrayList<>())).add(stored.seq());
            }
            return null;
        });
        for (String room : rooms) {
            List<Long> assigned = seqsByRoom.get(room);
            assertThat(assigned).as("room %s: no seq handed out twice across instances", room).doesNotHaveDuplicates();
            assertThat(store.after(room, 0, 1000)).extracting(ChatMessage::seq).as("room %s: gap-free", room)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, assigned.size()).boxed().toList());
            assertThat(other.lastSeq(room)).isEqualTo(assigned.size());
        }
    }

    @Test
    void shouldFailOnlyTheMessageTheDatabaseRefusesWhateverBatchItLandsIn() throws Exception {
        List<Object> outcomes = Collections.synchronizedList(new ArrayList<>());
        runConcurrently(8, t -> () -> {
            for (int i = 0; i < 5; i++) {
                // from_name is NOT NULL: every database refuses this one row
                NewMessage refused = new NewMessage("ok", "id-1", null, "t" + t + "-" + i, null, null);
                try {
                    outcomes.add(store.append(t == 3 && i == 2 ? refused : message("ok", "t" + t + "-" + i)).message());
                } catch (RuntimeException e) {
                    outcomes.add(e);
                }
            }
            return null;
        });
        assertThat(outcomes.stream().filter(RuntimeException.class::isInstance))
                .singleElement().isInstanceOf(DataIntegrityViolationException.class)
                .isNotInstanceOf(StoreUnavailableException.class);
        assertThat(store.after("ok", 0, 100)).hasSize(39);
        assertThat(store.lastSeq("ok")).isEqualTo(39);
    }

    @Test
    void shouldAnswerUnavailableWhenTheDatabaseIsGone() {
        store.append(message("r", "before"));
        dataSources.get(0).close();
        assertThatThrownBy(() -> store.append(message("r", "after"))).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> store.latest("r", 10)).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> store.lastSeq("r")).isInstanceOf(StoreUnavailableException.class);
    }

    static NewMessage message(String room, String text) {
        return new NewMessage(room, "id-1", "Alice", text, null, null);
    }
}
