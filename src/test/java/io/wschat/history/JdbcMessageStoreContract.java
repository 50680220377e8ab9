package io.wschat.history;

import java.time.Clock;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import tools.jackson.databind.json.JsonMapper;

import io.wschat.chat.MessageStore;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The store contract on a real database, migrated by the application's own Flyway scripts. */
abstract class JdbcMessageStoreContract extends MessageStoreContract {

    private HikariDataSource dataSource;

    /** The JDBC URL of a new, empty database. */
    protected abstract String newDatabaseUrl();

    @Override
    protected MessageStore createStore(Clock clock) {
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(newDatabaseUrl());
        dataSource.setMaximumPoolSize(8);
        Flyway.configure().dataSource(dataSource).load().migrate();
        return new JdbcMessageStore(JdbcClient.create(dataSource),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)), JsonMapper.builder().build(), clock);
    }

    @Override
    protected void closeStore() {
        dataSource.close();
    }
}
