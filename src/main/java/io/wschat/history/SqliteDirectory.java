package io.wschat.history;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * SQLite creates its database file on first use but not the directory it goes in: this creates that
 * directory (the default {@code ./data}) before the connection pool opens its first connection.
 */
final class SqliteDirectory implements BeanPostProcessor {

    private static final String PREFIX = "jdbc:sqlite:";

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource pool) {
            createFor(pool.getJdbcUrl());
        }
        return bean;
    }

    /** Creates the directory of the database file that {@code url} names, if it is a SQLite file URL. */
    static void createFor(String url) {
        if (url == null || !url.startsWith(PREFIX)) {
            return;
        }
        String file = url.substring(PREFIX.length());
        int query = file.indexOf('?');
        file = query < 0 ? file : file.substring(0, query);
        file = file.startsWith("file:") ? file.substring("file:".length()) : file;
        if (file.isEmpty() || file.startsWith(":memory:")) {
            return;
        }
        Path directory = Path.of(file).toAbsolutePath().getParent();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + directory + " for the history database in spring.datasource.url ("
                    + e + "): create it, or point the URL somewhere this process may write", e);
        }
    }
}
