package io.wschat.history;

import java.time.Clock;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.ObjectMapper;

import io.wschat.chat.MessageStore;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Picks the message store ({@code chat.history.store}), times it, and prunes it in the background. */
@Configuration(proxyBeanMethods = false)
class HistoryConfiguration {

    @Bean
    @ConditionalOnProperty(name = "chat.history.store", havingValue = "jdbc", matchIfMissing = true)
    @DependsOnDatabaseInitialization
    MessageStore jdbcMessageStore(DataSource dataSource, PlatformTransactionManager transactionManager, ObjectMapper mapper,
                                  Clock clock, MeterRegistry registry, HistoryProperties properties) {
        // Its own template: the query timeout bounds the store's statements, not everyone's.
        JdbcTemplate template = new JdbcTemplate(dataSource);
        template.setQueryTimeout((int) properties.jdbc().queryTimeout().toSeconds());
        return new MeteredMessageStore(new JdbcMessageStore(template, new TransactionTemplate(transactionManager), mapper,
                clock, properties.jdbc()), registry);
    }

    @Bean
    @ConditionalOnProperty(name = "chat.history.store", havingValue = "jdbc", matchIfMissing = true)
    static SqliteDirectory sqliteDirectory() {
        return new SqliteDirectory();
    }

    @Bean
    @ConditionalOnProperty(name = "chat.history.store", havingValue = "memory")
    MessageStore inMemoryMessageStore(HistoryProperties properties, Clock clock, MeterRegistry registry) {
        return new MeteredMessageStore(new InMemoryMessageStore(properties.retention().maxCount(), clock), registry);
    }

    @Bean
    HistoryPruner historyPruner(MessageStore store, HistoryProperties properties, Clock clock) {
        return new HistoryPruner(store, properties, clock);
    }
}
