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
 * @param store             where history lives: {@code jdbc} (the configured datasource; H2 in {@code ./data} by
 *                          default) or {@code memory} (lost on restart; for benchmarks and tests)
 * @param maxRecovery       the most missed messages sent to a client that reconnects with {@code since}; beyond
 *                          that it gets the newest ones and {@code truncated}
 * @param maxPage           the largest {@code limit} of a {@code history} command or a REST page
 * @param idempotencyWindow how long a message's {@code cid} is remembered, so a resend is not stored twice
 * @param retention         what is kept, and how often the rest is deleted
 */
@ConfigurationProperties("chat.history")
@Validated
public record HistoryProperties(
        @DefaultValue("jdbc") @NotNull Store store,
        @DefaultValue("1000") @Min(1) @Max(100_000) int maxRecovery,
        @DefaultValue("200") @Min(1) @Max(10_000) int maxPage,
        @DefaultValue("24h") @NotNull Duration idempotencyWindow,
        @DefaultValue @Valid Retention retention) {

    public enum Store { JDBC, MEMORY }

    public HistoryProperties {
        if (idempotencyWindow != null && (idempotencyWindow.isNegative() || idempotencyWindow.isZero())) {
            throw new IllegalArgumentException("chat.history.idempotency-window must be positive, e.g. 24h");
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
