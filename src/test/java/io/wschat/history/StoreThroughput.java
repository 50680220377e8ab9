package io.wschat.history;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import tools.jackson.databind.json.JsonMapper;

import io.wschat.chat.NewMessage;
import io.wschat.support.EmbeddedPostgresHolder;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Append throughput of the database store, durable acknowledgements included: {@code threads}
 * callers append {@code messages} messages each, round-robin over {@code rooms} rooms, and every
 * call returns only once its message is on disk. {@code max-batch=1} is one transaction and one
 * flush per message (durable without group commit); the default groups. Not a test, no assertion:
 *
 * <pre>./mvnw -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.wschat.history.StoreThroughput \
 *     -Dexec.args="db=sqlite threads=32 rooms=4 messages=100 max-batch=500"</pre>
 *
 * {@code db=postgres} uses an embedded PostgreSQL (its default {@code synchronous_commit=off} is forced on per batch).
 */
public final class StoreThroughput {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Arrays.stream(args).map(a -> a.split("=", 2))
                .collect(Collectors.toMap(a -> a[0], a -> a.length > 1 ? a[1] : ""));
        String db = options.getOrDefault("db", "sqlite");
        int threads = Integer.parseInt(options.getOrDefault("threads", "32"));
        int rooms = Integer.parseInt(options.getOrDefault("rooms", "4"));
        int messages = Integer.parseInt(options.getOrDefault("messages", "100"));
        int maxBatch = Integer.parseInt(options.getOrDefault("max-batch", "500"));

        HikariDataSource dataSource = new HikariDataSource();
        if (db.equals("postgres")) {
            dataSource.setJdbcUrl(EmbeddedPostgresHolder.newDatabaseUrl());
            dataSource.setUsername("postgres");
        } else {
            Path dir = Files.createTempDirectory("store-throughput");
            // The options of application.properties.
            dataSource.setJdbcUrl("jdbc:sqlite:" + dir.resolve("wschat.db")
                    + "?journal_mode=WAL&synchronous=FULL&busy_timeout=2000&foreign_keys=true");
        }
        dataSource.setMaximumPoolSize(10);
        Flyway.configure().dataSource(dataSource).load().migrate();
        JdbcTemplate template = new JdbcTemplate(dataSource);
        template.setQueryTimeout(10);
        JdbcMessageStore store = new JdbcMessageStore(template, new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
                JsonMapper.builder().build(), Clock.systemUTC(),
                new HistoryProperties.Jdbc(Duration.ofSeconds(10), 100_000, maxBatch, Duration.ofSeconds(30)));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            run(store, pool, threads, rooms, Math.max(1, messages / 10)); // warm-up
            long started = System.nanoTime();
            run(store, pool, threads, rooms, messages);
            double seconds = (System.nanoTime() - started) / 1e9;
            long total = (long) threads * messages;
            System.out.printf("db=%s threads=%d rooms=%d max-batch=%d: %d durable appends in %.2f s = %.0f appends/s%n",
                    db, threads, rooms, maxBatch, total, seconds, total / seconds);
        } finally {
            pool.shutdownNow();
            store.close();
            dataSource.close();
        }
        System.exit(0);
    }

    private static void run(JdbcMessageStore store, ExecutorService pool, int threads, int rooms, int messages) throws Exception {
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < messages; i++) {
                    store.append(new NewMessage("room-" + (i % rooms), "conn-" + thread, "T" + thread,
                            "message " + i + " from " + thread, "c-" + System.nanoTime(), null, "client:" + thread));
                }
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
    }
}
