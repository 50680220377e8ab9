package io.wschat.system;

import java.util.Locale;
import java.util.Set;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Leaves out the auto-configuration of an adapter that the configuration does not select. With
 * {@code chat.history.store=memory} no {@code DataSource} is created, so no database file in
 * {@code ./data}, no connection pool, no migration and no {@code db} health component; with
 * {@code chat.broker.type=local} no Redis client, so none of Lettuce's event loops and timer thread.
 * Only the root of each is left out: the rest of Spring Boot's JDBC, Flyway and Redis configuration
 * applies only when the {@code DataSource} or the {@code RedisConnectionFactory} exists.
 */
public final class UnselectedAdapters implements AutoConfigurationImportFilter, EnvironmentAware {

    private static final Set<String> DATABASE = Set.of("org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration");
    private static final Set<String> REDIS = Set.of("org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration");

    private Binder binder;

    @Override
    public void setEnvironment(Environment environment) {
        this.binder = Binder.get(environment);
    }

    @Override
    public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
        // Same defaults as HistoryProperties and BrokerProperties; an invalid value keeps everything,
        // so that their validation reports it at start-up.
        boolean memoryStore = "memory".equals(value("chat.history.store", "jdbc"));
        boolean localBroker = "local".equals(value("chat.broker.type", "local"));
        boolean[] matches = new boolean[autoConfigurationClasses.length];
        for (int i = 0; i < matches.length; i++) {
            String candidate = autoConfigurationClasses[i]; // null where an earlier filter left it out
            matches[i] = candidate == null
                    || !(memoryStore && DATABASE.contains(candidate)) && !(localBroker && REDIS.contains(candidate));
        }
        return matches;
    }

    private String value(String name, String fallback) {
        return binder.bind(name, String.class).orElse(fallback).trim().toLowerCase(Locale.ROOT);
    }
}
