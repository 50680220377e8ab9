package io.wschat.history;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Message history ({@code chat.history.*}).
 *
 * @param store             where history lives: {@code jdbc} (the configured datasource; SQLite in {@code ./data} by
 *                          default) or {@code memory} (lost on restart; for benchmarks and tests)
 * @param maxRecovery       the most missed messages sent to a client that reconnects with {@code since}; beyond
 *                          that it gets the newest ones and {@code truncated}
 * @param maxPage           the largest {@code limit} of a {@code history} command or a REST page
 * @param idempotencyWindow how long a message's {@code cid} is remembered, so a resend is not stored twice
 * @param retention         what is kept, and how often the rest is deleted
 * @param jdbc              how the database store waits and groups its writes
 */
@ConfigurationProperties("chat.history")
@Validated
public record HistoryProperties(
        @DefaultValue("jdbc") @NotNull Store store,
        @DefaultValue("1000") @Min(1) @Max(100_000) int maxRecovery,
        @DefaultValue("200") @Min(1) @Max(10_000) int maxPage,
        @DefaultValue("24h") @NotNull Duration idempotencyWindow,
        @DefaultValue @Valid Retention retention,
        @DefaultValue @Valid Jdbc jdbc) {

    public enum Store { JDBC, MEMORY }

    public HistoryProperties {
        if (idempotencyWindow != null && (idempotencyWindow.isNegative() || idempotencyWindow.isZero())) {
            throw new IllegalArgumentException("chat.history.idempotency-window must be positive, e.g. 24h");
        }
    }

    /**
     * The database store ({@code chat.history.jdbc.*}). Appends are stored in batches by one writer (group
     * commit); each caller is answered once its batch is durable. The wait for a pooled connection is the
     * pool's own ({@code spring.datasource.hikari.connection-timeout}, 2 s by default here).
     *
     * @param queryTimeout the most one statement may run before it is cancelled and the caller told
     *                     {@code unavailable}; whole seconds (JDBC's unit), at least 1 s
     * @param writeQueue   the most appends waiting for the writer; one more is refused at once as {@code unavailable}
     * @param maxBatch     the most appends stored in one transaction
     * @param maxQueueWait the longest an append may wait in the queue for its batch to start; after that it is
     *                     refused as {@code unavailable} without being written
     */
    public record Jdbc(
            @DefaultValue("2s") @NotNull Duration queryTimeout,
            @DefaultValue("10000") @Min(1) @Max(1_000_000) int writeQueue,
            @DefaultValue("500") @Min(1) @Max(10_000) int maxBatch,
            @DefaultValue("2s") @NotNull Duration maxQueueWait) {

        public Jdbc {
            if (queryTimeout != null && (queryTimeout.toMillis() < 1000 || queryTimeout.toMillis() % 1000 != 0)) {
                throw new IllegalArgumentException("chat.history.jdbc.query-timeout must be a whole number of seconds,"
                        + " at least 1s (JDBC counts query timeouts in seconds), e.g. 2s");
            }
            if (maxQueueWait != null && (maxQueueWait.isNegative() || maxQueueWait.isZero())) {
                throw new IllegalArgumentException("chat.history.jdbc.max-queue-wait must be positive, e.g. 2s");
            }
        }
    }

    /**
     * @param maxCount      the most messages kept per room; older ones are deleted
     * @param maxAge        how long a message is kept
     * @param pruneInterval how often expired messages are deleted
     * @param batchSize     the most rows one delete statement removes, so pruning never holds long locks
     */
    public record Retention(
            @DefaultValue("100000") @Min(1) int maxCount,
            @DefaultValue("30d") @NotNull Duration maxAge,
            @DefaultValue("1m") @NotNull Duration pruneInterval,
            @DefaultValue("1000") @Min(1) @Max(100_000) int batchSize) {

        public Retention {
            if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
                throw new IllegalArgumentException("chat.history.retention.max-age must be positive, e.g. 30d");
            }
            if (pruneInterval != null && (pruneInterval.isNegative() || pruneInterval.isZero())) {
                throw new IllegalArgumentException("chat.history.retention.prune-interval must be positive, e.g. 1m");
            }
        }
    }
}
