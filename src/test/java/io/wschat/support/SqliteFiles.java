package io.wschat.support;

import java.util.UUID;

/** New SQLite databases for tests, under {@code target/test-data}, with the settings of the default database. */
public final class SqliteFiles {

    private SqliteFiles() {
    }

    /** The URL of a new, empty database file; the directory is created when the application's pool starts. */
    public static String newDatabaseUrl(String name) {
        return "jdbc:sqlite:target/test-data/" + name + "-" + UUID.randomUUID()
                + ".db?journal_mode=WAL&synchronous=FULL&busy_timeout=10000&foreign_keys=true";
    }
}
