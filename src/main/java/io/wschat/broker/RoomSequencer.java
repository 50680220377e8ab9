package io.wschat.broker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;

import io.wschat.chat.ChatMessage;
import io.wschat.chat.MessageBroker;
import io.wschat.chat.MessageStore;
import io.wschat.chat.ServerEvent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a room's messages to local members in sequence order, without gaps, whatever order
 * they arrive in.
 *
 * <p>Why it is needed: each instance appends and publishes under its own room lock, so that
 * lock orders publishes within one JVM only. Instance A may store seq 5 and instance B seq 6,
 * and B's publish may reach Redis first. A member drops a message whose seq is not above the
 * last one it was sent (that is how a live copy of a history message is ignored), so handing
 * it 6 and then 5 would lose 5.
 *
 * <p>How: per room with local members this keeps the last seq delivered. The next one in line
 * is delivered at once, followed by any held successors. One that arrives early is held;
 * if the gap is still open after {@code reorderWait} (or too many are held), the missing
 * range is read from the shared {@link MessageStore}, which must have it: the store commits
 * seq N before it hands out N + 1, and a message is published only after it is stored.
 * A message at or below the last delivered seq is a repeat and dropped. The same read
 * catches up after a Redis outage, when messages were stored but never published or never
 * received. Other events (presence, typing) carry no seq and pass straight through.
 */
final class RoomSequencer {

    private static final Logger log = LoggerFactory.getLogger(RoomSequencer.class);
    private static final int FILL_BATCH = 1000;

    private static final class Room {
        final TreeMap<Long, ServerEvent.Message> held = new TreeMap<>();
        long lastDelivered;
        ScheduledFuture<?> fill;

        Room(long lastDelivered) {
            this.lastDelivered = lastDelivered;
        }
    }

    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final MessageStore store;
    private final ScheduledExecutorService scheduler;
    private final long reorderWaitMillis;
    private final int maxHeld;
    private final Counter unrecoverable;
    private volatile MessageBroker.Listener listener;

    RoomSequencer(MessageStore store, ScheduledExecutorService scheduler, Duration reorderWait, int maxHeld,
                  Counter unrecoverable) {
        this.store = store;
        this.scheduler = scheduler;
        this.reorderWaitMillis = reorderWait.toMillis();
        this.maxHeld = maxHeld;
        this.unrecoverable = unrecoverable;
    }

    void start(MessageBroker.Listener listener) {
        this.listener = listener;
    }

    /** Starts following a room; messages up to the store's current last seq count as delivered (the joining member reads them as history). */
    void open(String room) {
        rooms.put(room, new Room(store.lastSeq(room)));
    }

    void close(String room) {
        Room state = rooms.remove(room);
        if (state != null) {
            synchronized (state) {
                cancelFill(state);
                state.held.clear();
            }
        }
    }

    boolean isOpen(String room) {
        return rooms.containsKey(room);
    }

    void accept(String room, ServerEvent event) {
        Room state = rooms.get(room);
        if (state == null) {
            return;
        }
        synchronized (state) {
            if (event instanceof ServerEvent.Message message) {
                offer(room, state, message);
            } else {
                listener.onEvent(room, event);
            }
        }
    }

    /** Another instance says the room's history reaches {@code seq}: fetch whatever this instance has not delivered. */
    void headAt(String room, long seq) {
        Room state = rooms.get(room);
        if (state == null) {
            return;
        }
        synchronized (state) {
            if (seq > state.lastDelivered) {
                scheduleFill(room, state, 0);
            }
        }
    }

    /**
     * The store says the room's history reaches {@code seq} (a {@link PositionCheck}): if this
     * instance is behind, read the rest after the reorder wait, which a publish still on its
     * way cancels by arriving.
     */
    void checkHead(String room, long seq) {
        Room state = rooms.get(room);
        if (state == null) {
            return;
        }
        synchronized (state) {
            if (seq > state.lastDelivered) {
                scheduleFill(room, state, reorderWaitMillis);
            }
        }
    }

    /** Reads every followed room's messages after its last delivered one: after a Redis outage, some were never received. */
    void catchUpAll() {
        rooms.forEach((room, state) -> {
            synchronized (state) {
                scheduleFill(room, state, 0);
            }
        });
    }

    List<String> openRooms() {
        return List.copyOf(rooms.keySet());
    }

    private void offer(String room, Room state, ServerEvent.Message message) {
        long seq = message.seq();
        if (seq <= state.lastDelivered) {
            return;
        }
        if (seq == state.lastDelivered + 1) {
            deliver(room, state, message);
            drainHeld(room, state);
            return;
        }
        state.held.put(seq, message);
        log.debug("room '{}': seq {} arrived before {}, holding it", room, seq, state.lastDelivered + 1);
        scheduleFill(room, state, state.held.size() > maxHeld ? 0 : reorderWaitMillis);
    }

    private void deliver(String room, Room state, ServerEvent.Message message) {
        state.lastDelivered = message.seq();
        listener.onEvent(room, message);
    }

    private void drainHeld(String room, Room state) {
        while (!state.held.isEmpty()) {
            long first = state.held.firstKey();
            if (first <= state.lastDelivered) {
                state.held.pollFirstEntry();
            } else if (first == state.lastDelivered + 1) {
                deliver(room, state, state.held.pollFirstEntry().getValue());
            } else {
                return;
            }
        }
        cancelFill(state);
    }

    private void scheduleFill(String room, Room state, long delayMillis) {
        if (state.fill != null && delayMillis > 0) {
            return;
        }
        cancelFill(state);
        try {
            state.fill = scheduler.schedule(() -> fill(room, state), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("room '{}': not filling a gap, the instance is shutting down", room);
        }
    }

    private static void cancelFill(Room state) {
        if (state.fill != null) {
            state.fill.cancel(false);
            state.fill = null;
        }
    }

    /** Reads the missing range outside the room's lock (the store may be a database), then delivers under it. */
    private void fill(String room, Room state) {
        long after;
        synchronized (state) {
            state.fill = null;
            if (rooms.get(room) != state) {
                return;
            }
            after = state.lastDelivered;
        }
        List<ChatMessage> missing;
        try {
            missing = store.after(room, after, FILL_BATCH);
        } catch (RuntimeException e) {
            log.warn("room '{}': could not read messages after seq {} from the store, retrying: {}", room, after, e.toString());
            synchronized (state) {
                scheduleFill(room, state, Math.max(reorderWaitMillis, 100));
            }
            return;
        }
        synchronized (state) {
            if (rooms.get(room) != state) {
                return;
            }
            for (ChatMessage stored : missing) {
                if (stored.seq() > state.lastDelivered) {
                    skipTo(room, state, stored.seq());
                    deliver(room, state, ServerEvent.Message.of(stored));
                }
            }
            if (missing.size() == FILL_BATCH) {
                scheduleFill(room, state, 0);
            } else if (!state.held.isEmpty()) {
                skipTo(room, state, state.held.firstKey());
            }
            drainHeld(room, state);
        }
    }

    /** The store lacks seqs below {@code next} (it trimmed them): give up on them rather than stall the room. */
    private void skipTo(String room, Room state, long next) {
        long lost = next - state.lastDelivered - 1;
        if (lost > 0) {
            log.warn("room '{}': seq {} to {} are in no store and were skipped", room, state.lastDelivered + 1, next - 1);
            unrecoverable.increment(lost);
            state.lastDelivered = next - 1;
        }
    }
}
