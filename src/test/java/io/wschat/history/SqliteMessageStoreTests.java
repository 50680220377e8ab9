package io.wschat.history;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import io.wschat.chat.StoreUnavailableException;

import io.wschat.support.RunningApp;
import io.wschat.support.SqliteFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteMessageStoreTests extends JdbcMessageStoreContract {

    @Override
    protected String newDatabaseUrl() {
        String url = SqliteFiles.newDatabaseUrl("contract");
        SqliteDirectory.createFor(url);
        return url;
    }

    @Test
    void shouldAnswerUnavailableWhileAnotherProcessHoldsTheWriteLock() throws Exception {
        store.append(message("r", "before"));
        try (Connection other = DriverManager.getConnection(url()); Statement shell = other.createStatement()) {
            shell.execute("BEGIN IMMEDIATE"); // as the sqlite3 shell would, left open
            assertThatThrownBy(() -> store.append(message("r", "while locked"))).isInstanceOf(StoreUnavailableException.class);
            assertThat(store.latest("r", 10)).as("reads go on while another writer holds the lock").hasSize(1);
            shell.execute("ROLLBACK"); // and let go
        }
        assertThat(store.append(message("r", "after")).message().seq()).isEqualTo(2);
    }

    @Test
    void shouldRefuseToStartOnASqliteThatDoesNotSyncEachCommit() {
        String notDurable = SqliteFiles.newDatabaseUrl("not-durable").replace("synchronous=FULL", "synchronous=NORMAL");
        assertThatThrownBy(() -> RunningApp.start("spring.datasource.url=" + notDurable).close())
                .rootCause()
                .hasMessageContaining("history on SQLite needs synchronous=FULL and foreign_keys=true in spring.datasource.url")
                .hasMessageContaining("synchronous=1");
    }

    @Test
    void shouldCreateTheDirectoryTheDatabaseFileGoesIn(@TempDir Path dir) {
        Path file = dir.resolve("data/history/wschat.db");
        RunningApp.start("spring.datasource.url=jdbc:sqlite:" + file + "?synchronous=FULL&foreign_keys=true").close();
        assertThat(file).isRegularFile();
    }
}
