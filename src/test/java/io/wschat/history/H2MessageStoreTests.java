package io.wschat.history;

import java.util.UUID;

class H2MessageStoreTests extends JdbcMessageStoreContract {

    @Override
    protected String newDatabaseUrl() {
        // Same settings as the default file database, in memory; dropped when the pool closes.
        return "jdbc:h2:mem:contract-" + UUID.randomUUID() + ";LOCK_TIMEOUT=10000";
    }
}
