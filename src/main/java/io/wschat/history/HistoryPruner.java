package io.wschat.history;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.wschat.chat.MessageStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Deletes what retention no longer keeps (per room: beyond the newest {@code max-count}, or
 * older than {@code max-age}) and forgets expired idempotency ids, every {@code prune-interval},
 * in the background. Each store call removes at most {@code batch-size} rows in its own short
 * transaction, so pruning a large backlog never blocks appends for long.
 */
final class HistoryPruner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(HistoryPruner.class);

    private final MessageStore store;
    private final HistoryProperties properties;
    private final Clock clock;
    private ScheduledExecutorService scheduler;

    HistoryPruner(MessageStore store, HistoryProperties properties, Clock clock) {
        this.store = store;
        this.properties = properties;
        this.clock = clock;
    }

    /** One full pass over every room; returns how many messages it deleted. */
    int pruneOnce() {
        HistoryProperties.Retention retention = properties.retention();
        int batch = retention.batchSize();
        long now = clock.millis();
        long olderThan = now - retention.maxAge().toMillis();
        int deleted = 0;
        String after = "";
        List<MessageStore.RoomSeq> rooms;
        do {
            rooms = store.rooms(after, batch);
            for (MessageStore.RoomSeq room : rooms) {
                int removed;
                do {
                    removed = store.prune(room.room(), retention.maxCount(), olderThan, batch);
                    deleted += removed;
                } while (removed >= batch);
                after = room.room();
            }
        } while (rooms.size() == batch);
        long cidsOlderThan = now - properties.idempotencyWindow().toMillis();
        int forgotten;
        do {
            forgotten = store.forgetCids(cidsOlderThan, batch);
        } while (forgotten >= batch);
        return deleted;
    }

    private void runSafely() {
        try {
            int deleted = pruneOnce();
            if (deleted > 0) {
                log.info("retention pruned {} messages", deleted);
            }
        } catch (RuntimeException e) {
            // Keep the schedule alive; the next run tries again.
            log.warn("retention pruning failed: {}", e.toString());
        }
    }

    @Override
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "history-pruner");
            thread.setDaemon(true);
            return thread;
        });
        long interval = properties.retention().pruneInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::runSafely, interval, interval, TimeUnit.MILLISECONDS);
        log.info("history retention: at most {} messages per room, for at most {}, pruned every {}",
                properties.retention().maxCount(), properties.retention().maxAge(), properties.retention().pruneInterval());
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
