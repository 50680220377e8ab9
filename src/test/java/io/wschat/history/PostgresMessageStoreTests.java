package io.wschat.history;

import io.wschat.support.EmbeddedPostgresHolder;

class PostgresMessageStoreTests extends JdbcMessageStoreContract {

    @Override
    protected String newDatabaseUrl() {
        return EmbeddedPostgresHolder.newDatabaseUrl();
    }
}
