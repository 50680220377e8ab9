package io.wschat.broker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.wschat.chat.MessageStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns the head of every room this instance follows from the store, periodically, and lets
 * the {@link RoomSequencer} fetch what never arrived (as centrifuge's position check does).
 *
 * <p>Why: the sequencer notices a missing message only when a later one reveals the gap. A
 * publish dropped on a full queue, an instance that crashed between storing and publishing,
 * or a publish lost in a Redis outage would leave a room's last message undelivered until
 * someone spoke again. With this check it arrives within {@code position-check-interval}
 * (plus the reorder wait, which lets a publish already on its way arrive first).
 *
 * <p>Cost: one store query per few hundred followed rooms per interval
 * ({@link MessageStore#lastSeqs}), on the store-reading thread, never on the heartbeat's.
 */
final class PositionCheck implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PositionCheck.class);

    private final MessageStore store;
    private final RoomSequencer sequencer;
    private final ScheduledFuture<?> schedule;

    PositionCheck(MessageStore store, RoomSequencer sequencer, ScheduledExecutorService storeReader, Duration interval) {
        this.store = store;
        this.sequencer = sequencer;
        this.schedule = storeReader.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Compares each followed room's head in the store with what was delivered here. */
    void check() {
        List<String> rooms = sequencer.openRooms();
        if (rooms.isEmpty()) {
            return;
        }
        Map<String, Long> heads;
        try {
            heads = store.lastSeqs(rooms);
        } catch (RuntimeException e) {
            log.warn("could not read the heads of {} rooms from the store, checking again later: {}", rooms.size(), e.toString());
            return;
        }
        heads.forEach(sequencer::checkHead);
    }

    @Override
    public void close() {
        schedule.cancel(false);
    }
}
