package io.wschat.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Presence changes of large rooms, gathered for a moment and sent as one event.
 *
 * <p>Every member learns of every other member's arrival, so a room of N members forming at once
 * (a reconnect storm after a restart) costs N² frames when each change is its own event: 1,010
 * joins kept the server writing for 29 s in the benchmark, and the room's messages waited behind
 * them. A change in a room of at most {@code batchAbove} members still goes out at once, on its
 * own; in a larger room it waits up to {@code window} for the changes after it, and they go out
 * together, in order, as one {@code presence} event with {@code "event": "changes"}, at most
 * {@code maxPerEvent} to an event.
 *
 * <p>{@link #publish} runs under the room's lock, and so does each flush, so a room's presence
 * events leave in the order of its changes, whether batched or not.
 */
final class PresenceBatches {

    private final RoomPublisher publisher;
    private final RoomLocks roomLocks;
    private final ScheduledExecutorService scheduler;
    private final int batchAbove;
    private final long windowNanos;
    private final int maxPerEvent;
    private final Map<String, Batch> pending = new ConcurrentHashMap<>();

    PresenceBatches(RoomPublisher publisher, RoomLocks roomLocks, ScheduledExecutorService scheduler,
                    int batchAbove, Duration window, int maxPerEvent) {
        this.publisher = publisher;
        this.roomLocks = roomLocks;
        this.scheduler = scheduler;
        this.batchAbove = batchAbove;
        this.windowNanos = window.toNanos();
        this.maxPerEvent = maxPerEvent;
    }

    /** One member joined, left or was renamed; {@code count} is the room's size after it. Under the room's lock. */
    void publish(String room, ServerEvent.PresenceChange change) {
        Batch batch = pending.get(room);
        if (batch == null && change.count() <= batchAbove) {
            publisher.publish(room, change);
            return;
        }
        if (batch == null) {
            batch = new Batch();
            pending.put(room, batch);
            schedule(room, batch);
        }
        batch.add(change);
        if (batch.changes.size() >= maxPerEvent) {
            send(room, batch);
        }
    }

    private void schedule(String room, Batch batch) {
        try {
            scheduler.schedule(() -> roomLocks.withLock(room, () -> {
                if (pending.get(room) == batch) {
                    send(room, batch);
                }
            }), windowNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // Shutting down: the room's members are being disconnected anyway; what is gathered goes now.
            send(room, batch);
        }
    }

    /** A batch holds at least one change (it is created for one) and is sent once: it leaves {@code pending} here. */
    private void send(String room, Batch batch) {
        pending.remove(room, batch);
        publisher.publish(room, ServerEvent.PresenceChange.batch(room, List.copyOf(batch.changes), batch.count));
    }

    /** Only touched under the room's lock. */
    private static final class Batch {
        final List<ServerEvent.PresenceChange.Change> changes = new ArrayList<>();
        int count;

        void add(ServerEvent.PresenceChange change) {
            changes.add(new ServerEvent.PresenceChange.Change(change.event(), change.member(), change.previousName()));
            count = change.count();
        }
    }
}
